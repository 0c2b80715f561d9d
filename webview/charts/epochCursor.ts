// A vertical line across a chart at an epoch — the play control's step on the loss curves.
import type { Chart, Plugin } from 'chart.js';
import type { Theme } from './common';

/** `epoch` is read at every draw, so moving the cursor is a redraw, not a new chart. */
export function epochCursor(theme: Theme, epoch: () => number | null): Plugin {
  return {
    id: 'epochCursor',
    afterDatasetsDraw(chart: Chart) {
      const at = epoch();
      const x = chart.scales.x;
      if (at === null || !x) {
        chart.canvas.dataset.cursorEpoch = '';
        return;
      }
      const px = x.getPixelForValue(at);
      const { top, bottom, left, right } = chart.chartArea;
      if (px < left || px > right) return;
      const { ctx } = chart;
      ctx.save();
      ctx.strokeStyle = theme.foreground;
      ctx.setLineDash([4, 3]);
      ctx.lineWidth = 1;
      ctx.beginPath();
      ctx.moveTo(px, top);
      ctx.lineTo(px, bottom);
      ctx.stroke();
      ctx.fillStyle = theme.foreground;
      ctx.font = `11px ${theme.fontFamily}`;
      ctx.textAlign = px > (left + right) / 2 ? 'right' : 'left';
      ctx.fillText(`epoch ${at}`, px + (ctx.textAlign === 'right' ? -4 : 4), top + 12);
      ctx.restore();
      // For the end-to-end test: where the cursor was drawn.
      chart.canvas.dataset.cursorEpoch = String(at);
    },
  };
}
