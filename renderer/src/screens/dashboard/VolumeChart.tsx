// Daily recharge volume as SVG bars (no chart library): money credited per Shanghai day, with the
// y axis in yuan at round steps and a date under every 15th day. Each bar's tooltip gives the day's
// money and coins. Heights are only drawing; every figure shown is formatted from the integer strings.
import { useT } from '../../i18n';
import { coins, yuan } from '../approvals/common';

export interface Day {
  day: string;
  money: string;
  coins: string;
}

/** The smallest 1, 2 or 5 × 10^k yuan (in fen) at or above `fen`, so the axis reads in round numbers. */
export function niceMax(fen: number): number {
  if (fen <= 0) return 100_00;
  let step = 100; // 1 yuan
  for (;;) {
    for (const m of [1, 2, 5]) if (step * m >= fen) return step * m;
    step *= 10;
  }
}

const W = 900;
const H = 220;
const LEFT = 84;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 26;

export function VolumeChart({ days }: { days: Day[] }) {
  const t = useT();
  const max = niceMax(Math.max(0, ...days.map((d) => Number(d.money))));
  const plotW = W - LEFT - RIGHT;
  const plotH = H - TOP - BOTTOM;
  const slot = plotW / Math.max(1, days.length);
  const bar = Math.max(1, slot * 0.7);
  const y = (fen: number) => TOP + plotH - (fen / max) * plotH;
  const ticks = [0, max / 2, max];
  return (
    <svg
      viewBox={`0 0 ${W} ${H}`}
      width="100%"
      role="img"
      aria-label={t('dash.chartTitle')}
      data-testid="volume-chart"
      style={{ display: 'block' }}
    >
      {ticks.map((v) => (
        <g key={v}>
          <line x1={LEFT} x2={W - RIGHT} y1={y(v)} y2={y(v)} stroke={v === 0 ? '#bfbfbf' : '#f0f0f0'} />
          <text x={LEFT - 6} y={y(v) + 4} textAnchor="end" fontSize={11} fill="#8c8c8c">
            {yuan(Math.round(v))}
          </text>
        </g>
      ))}
      {days.map((d, i) => {
        const fen = Number(d.money);
        const x = LEFT + i * slot + (slot - bar) / 2;
        const top = y(fen);
        return (
          <g key={d.day}>
            {fen > 0 && (
              <rect
                x={x}
                y={top}
                width={bar}
                height={Math.max(1, TOP + plotH - top)}
                fill={i === days.length - 1 ? '#1677ff' : '#69b1ff'}
                rx={1}
              >
                <title>{t('dash.barTip', { day: d.day, yuan: yuan(d.money), coins: coins(d.coins) })}</title>
              </rect>
            )}
            {((i % 15 === 0 && i < days.length - 8) || i === days.length - 1) && (
              <text
                x={i === days.length - 1 ? W - RIGHT : LEFT + i * slot + slot / 2}
                y={H - 8}
                textAnchor={i === days.length - 1 ? 'end' : 'middle'}
                fontSize={11}
                fill="#8c8c8c"
              >
                {d.day.slice(5)}
              </text>
            )}
          </g>
        );
      })}
    </svg>
  );
}
