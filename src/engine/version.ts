// The engine's version, written into every result file.
export const ENGINE_VERSION = '0.1.0';
