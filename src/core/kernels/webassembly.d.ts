// The part of the WebAssembly JavaScript API the kernels use. It is a language global in
// Node and browsers, but the ES library typings leave it to the DOM library, which the core
// does not load.
declare namespace WebAssembly {
  class Module {
    constructor(bytes: Uint8Array);
  }
  class Instance {
    constructor(module: Module, imports: object);
    readonly exports: Record<string, unknown>;
  }
  class Memory {
    readonly buffer: ArrayBuffer;
    grow(pages: number): number;
  }
}
