// The play control's clock: one step per sample of the longest training path, shared by the
// landscape (a dot on every path) and the loss curves (a cursor at the step's epoch). It
// lives outside the persisted UI state: stepping redraws two canvases, not the whole panel.
import type { SlicePath } from '../../src/protocol/result';

export type PlaybackListener = () => void;

/** Where a path's dot is at `epoch`: its last sample at or before it (its start before that). */
export function sampleAt(path: SlicePath, epoch: number): number {
  let k = 0;
  while (k + 1 < path.epoch.length && path.epoch[k + 1] <= epoch) k++;
  return k;
}

/** The epochs the clock steps through: those of the path with the most samples. */
export function clockOf(paths: SlicePath[]): number[] {
  return paths.reduce<number[]>((best, p) => (p.epoch.length > best.length ? p.epoch : best), []);
}

export class Playback {
  /** Sample index of the clock, or null when stopped (no dots, no cursor). */
  step: number | null = null;
  clock: number[] = [];
  private timer: ReturnType<typeof setInterval> | null = null;
  private readonly listeners = new Set<PlaybackListener>();

  get playing(): boolean {
    return this.timer !== null;
  }

  /** The epoch at the current step, or null. */
  get epoch(): number | null {
    return this.step === null ? null : (this.clock[this.step] ?? null);
  }

  subscribe(listener: PlaybackListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** A new clock (another slice or result): keeps the step when it still fits. */
  setClock(clock: number[]): void {
    if (clock.length === this.clock.length && clock.every((e, k) => e === this.clock[k])) return;
    this.clock = clock;
    if (this.step !== null && this.step >= clock.length) this.seek(null);
  }

  seek(step: number | null): void {
    const last = this.clock.length - 1;
    this.step = step === null || last < 0 ? null : Math.max(0, Math.min(last, step));
    if (this.step === null || this.step >= last) this.pause();
    this.listeners.forEach((listener) => listener());
  }

  next(): void {
    this.seek(this.step === null ? 0 : this.step + 1);
  }

  play(intervalMs = 80): void {
    if (this.clock.length === 0) return;
    if (this.step === null || this.step >= this.clock.length - 1) this.seek(0);
    this.pause();
    this.timer = setInterval(() => this.next(), intervalMs);
    this.listeners.forEach((listener) => listener());
  }

  pause(): void {
    if (this.timer === null) return;
    clearInterval(this.timer);
    this.timer = null;
    this.listeners.forEach((listener) => listener());
  }
}

/** The one clock of the panel. */
export const playback = new Playback();
