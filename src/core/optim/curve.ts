// Records a loss curve of any length in bounded memory while keeping its shape: the first
// and last points, and in every bucket of epochs its lowest and highest loss (so the
// global minimum and every spike survive). When the buckets run out, neighbours merge.

interface Bucket {
  minEpoch: number;
  minLoss: number;
  maxEpoch: number;
  maxLoss: number;
}

export class CurveRecorder {
  private buckets: Bucket[] = [];
  private width = 1;
  private first: [number, number] | null = null;
  private last: [number, number] | null = null;

  /** At most about 2·capacity + 2 points come out. */
  constructor(private readonly capacity = 500) {}

  add(epoch: number, loss: number): void {
    if (!this.first) this.first = [epoch, loss];
    this.last = [epoch, loss];
    const index = Math.floor(epoch / this.width);
    const bucket = this.buckets[index];
    if (!bucket) {
      this.buckets[index] = { minEpoch: epoch, minLoss: loss, maxEpoch: epoch, maxLoss: loss };
    } else {
      if (loss < bucket.minLoss) Object.assign(bucket, { minEpoch: epoch, minLoss: loss });
      if (loss > bucket.maxLoss) Object.assign(bucket, { maxEpoch: epoch, maxLoss: loss });
    }
    if (this.buckets.length > this.capacity) this.halve();
  }

  private halve(): void {
    const merged: Bucket[] = [];
    this.buckets.forEach((bucket, i) => {
      if (!bucket) return;
      const target = merged[i >> 1];
      if (!target) merged[i >> 1] = { ...bucket };
      else {
        if (bucket.minLoss < target.minLoss)
          Object.assign(target, { minEpoch: bucket.minEpoch, minLoss: bucket.minLoss });
        if (bucket.maxLoss > target.maxLoss)
          Object.assign(target, { maxEpoch: bucket.maxEpoch, maxLoss: bucket.maxLoss });
      }
    });
    this.buckets = merged;
    this.width *= 2;
  }

  /** The kept points in epoch order. */
  points(): { epoch: number[]; loss: number[] } {
    const byEpoch = new Map<number, number>();
    if (this.first) byEpoch.set(this.first[0], this.first[1]);
    for (const bucket of this.buckets) {
      if (!bucket) continue;
      byEpoch.set(bucket.minEpoch, bucket.minLoss);
      byEpoch.set(bucket.maxEpoch, bucket.maxLoss);
    }
    if (this.last) byEpoch.set(this.last[0], this.last[1]);
    const epochs = [...byEpoch.keys()].sort((a, b) => a - b);
    return { epoch: epochs, loss: epochs.map((e) => byEpoch.get(e) as number) };
  }
}

/** θ at one epoch of training, with the loss there. */
export interface Snapshot {
  epoch: number;
  theta: Float64Array;
  loss: number;
}

/**
 * Keeps at most `capacity` snapshots of θ along a run, evenly spaced in epochs: when full,
 * every other one is dropped and the spacing doubles. For trajectory planes and the paths
 * drawn on every slice.
 */
export class SnapshotRecorder {
  private snapshots: Snapshot[] = [];
  private interval = 1;

  constructor(private readonly capacity = 200) {}

  add(epoch: number, theta: Float64Array, loss: number): void {
    if (epoch % this.interval !== 0) return;
    this.snapshots.push({ epoch, theta: Float64Array.from(theta), loss });
    if (this.snapshots.length > this.capacity) {
      this.interval *= 2;
      this.snapshots = this.snapshots.filter((s) => s.epoch % this.interval === 0);
    }
  }

  /** The kept snapshots, and `last` appended when it is not the latest already. */
  finish(lastEpoch: number, last: Float64Array, loss: number): Snapshot[] {
    const kept = [...this.snapshots];
    if (kept.at(-1)?.epoch !== lastEpoch)
      kept.push({ epoch: lastEpoch, theta: Float64Array.from(last), loss });
    return kept;
  }
}
