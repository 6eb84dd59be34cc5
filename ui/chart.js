// The activity chart: events per hour over the last 24 hours, stacked by status, as inline SVG.
import { el, svg } from './dom.js';

/** Stacking order, bottom up, with the words the legend uses. */
export const STATUSES = [
  ['processed', 'processed'],
  ['deliveryFailed', 'delivery failed'],
  ['unrouted', 'unrouted'],
  ['retrying', 'retrying'],
  ['failed', 'failed'],
  ['pending', 'pending'],
];

const WIDTH = 480;
const HEIGHT = 96;
const AXIS = 14;

const hourLabel = (iso) => new Date(iso).toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });

/** The chart for `hours` (oldest first, as /api/activity answers), with a legend and a one-line summary. */
export function activityChart(hours) {
  const totals = Object.fromEntries(STATUSES.map(([status]) => [status, hours.reduce((sum, hour) => sum + hour[status], 0)]));
  const all = Object.values(totals).reduce((a, b) => a + b, 0);
  const peak = Math.max(1, ...hours.map((hour) => STATUSES.reduce((sum, [status]) => sum + hour[status], 0)));
  const slot = WIDTH / hours.length;
  const scale = (HEIGHT - AXIS - 4) / peak;
  const bars = hours.map((hour, index) => {
    let y = HEIGHT - AXIS;
    const parts = STATUSES.filter(([status]) => hour[status] > 0).map(([status]) => {
      const height = Math.max(1, hour[status] * scale);
      y -= height;
      return svg('rect', { x: index * slot + 1, y, width: slot - 2, height, class: `bar-${status}` });
    });
    const words = STATUSES.filter(([status]) => hour[status] > 0).map(([status, word]) => `${hour[status]} ${word}`).join(', ') || 'no events';
    return svg('g', {}, svg('title', {}, `${hourLabel(hour.start)}: ${words}`), svg('rect', { x: index * slot, y: 0, width: slot, height: HEIGHT - AXIS, class: 'bar-hit' }), parts);
  });
  const ticks = hours.map((hour, index) => (index % 6 === 0 ? svg('text', { x: index * slot + 2, y: HEIGHT - 2, class: 'tick' }, hourLabel(hour.start)) : null));
  const summary = all === 0
    ? 'No events in the last 24 hours.'
    : `${all} event${all === 1 ? '' : 's'} in the last 24 hours: ${STATUSES.filter(([status]) => totals[status] > 0).map(([status, word]) => `${totals[status]} ${word}`).join(', ')}.`;
  const chart = svg('svg', { viewBox: `0 0 ${WIDTH} ${HEIGHT}`, role: 'img', 'aria-label': `Events per hour over the last 24 hours. ${summary}`, class: 'chart' },
    svg('line', { x1: 0, x2: WIDTH, y1: HEIGHT - AXIS, y2: HEIGHT - AXIS, class: 'axis' }), bars, ticks);
  const legend = el('ul', { class: 'legend', 'aria-hidden': 'true' }, STATUSES.map(([status, word]) => el('li', {}, el('span', { class: `swatch bar-${status}` }), `${word} ${totals[status]}`)));
  return el('div', { class: 'activity' }, el('p', { class: 'activity-summary' }, summary), chart, legend);
}
