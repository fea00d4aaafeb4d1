// The rollout dashboard (browser): polls the flag state, the collector's aggregates and the gate every
// few seconds, shows the controls, the per-arm table, the gate's decision and live charts.
import 'uplot/dist/uPlot.min.css';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { createRoot } from 'react-dom/client';
import type uPlot from 'uplot';
import { type DashboardSnapshot, loadSnapshot } from './api.js';
import { ArmTable } from './components/ArmTable.js';
import { AuditPanel } from './components/AuditPanel.js';
import { Chart } from './components/Chart.js';
import { Controls } from './components/Controls.js';
import { GatePanel } from './components/GatePanel.js';
import { FreezeNotice, ReleasePanel } from './components/ReleasePanel.js';
import { appendSample, emptyHistory, type History } from './history.js';
import { sampleOf } from './samples.js';

const POLL_MS = 2000;

// The theme before the first render: `?theme=` (screenshots), else the last choice, else the system's.
const requested =
  new URLSearchParams(location.search).get('theme') ?? localStorage.getItem('dashboard:theme');
document.documentElement.dataset.theme =
  requested === 'dark' || requested === 'light'
    ? requested
    : matchMedia('(prefers-color-scheme: dark)').matches
      ? 'dark'
      : 'light';
const ARM_COLORS = { v1: '#64748b', v2: '#2563eb', mixed: '#9333ea' } as const;

function column(history: History, name: string): (number | null)[] {
  return history.series[name] ?? history.x.map(() => null);
}

function Dashboard() {
  const [snapshot, setSnapshot] = useState<DashboardSnapshot | null>(null);
  const [history, setHistory] = useState<History>(emptyHistory);
  const [failure, setFailure] = useState<string | null>(null);
  const [theme, setTheme] = useState(() => document.documentElement.dataset.theme ?? 'light');
  const timer = useRef<ReturnType<typeof setTimeout> | undefined>(undefined);

  const poll = useCallback(async () => {
    clearTimeout(timer.current);
    try {
      const next = await loadSnapshot(location.search);
      setSnapshot(next);
      setHistory((h) => appendSample(h, next.at, sampleOf(next)));
      setFailure(null);
    } catch (error) {
      setFailure(String(error));
    }
    timer.current = setTimeout(() => void poll(), POLL_MS);
  }, []);

  useEffect(() => {
    void poll();
    return () => clearTimeout(timer.current);
  }, [poll]);

  const toggleTheme = () => {
    const next = theme === 'dark' ? 'light' : 'dark';
    document.documentElement.dataset.theme = next;
    localStorage.setItem('dashboard:theme', next);
    setTheme(next);
  };

  const comparisons = snapshot?.gate.comparisons ?? [];
  const sessionsData = useMemo<uPlot.AlignedData>(
    () => [
      history.x,
      column(history, 'sessions:v1'),
      column(history, 'sessions:v2'),
      column(history, 'sessions:mixed'),
    ],
    [history],
  );

  return (
    <>
      <header className="tr-navigation site-header">
        <span className="brand">token-rollout · dashboard</span>
        <span className="muted" data-testid="updated">
          {snapshot ? `updated ${new Date(snapshot.at).toLocaleTimeString()}` : 'loading…'}
        </span>
        <div className="header-actions">
          <a href="/" className="tr-buttons btn btn-ghost">
            Open the demo
          </a>
          <button type="button" className="tr-buttons btn btn-secondary" onClick={toggleTheme}>
            {theme === 'dark' ? 'Light theme' : 'Dark theme'}
          </button>
        </div>
      </header>
      {failure ? (
        <p className="tr-feedback alert alert-danger banner" role="alert">
          {failure}
        </p>
      ) : null}
      {snapshot ? <FreezeNotice release={snapshot.release} /> : null}
      {snapshot ? (
        <div className="dash-layout">
          <div className="dash-side">
            <Controls state={snapshot.flags} onChanged={() => void poll()} />
            <ReleasePanel
              release={snapshot.release}
              recovery={snapshot.recovery}
              onChanged={() => void poll()}
            />
          </div>
          <div className="dash-main">
            <GatePanel gate={snapshot.gate} />
            <ArmTable aggregates={snapshot.aggregates} />
            <section className="tr-cards card charts" aria-labelledby="charts-title">
              <h2 id="charts-title">Live</h2>
              <div className="chart-grid">
                <Chart
                  title="Sessions per arm"
                  testId="chart-sessions"
                  series={[
                    { label: 'v1', color: ARM_COLORS.v1 },
                    { label: 'v2', color: ARM_COLORS.v2 },
                    { label: 'mixed', color: ARM_COLORS.mixed },
                  ]}
                  data={sessionsData}
                  theme={theme}
                />
                {comparisons.map((c) => (
                  <Chart
                    key={c.id}
                    theme={theme}
                    title={`${c.label}: v2 − v1 (${c.unit}), interval and trigger`}
                    testId={`chart-${c.id}`}
                    series={[
                      { label: 'estimate', color: ARM_COLORS.v2 },
                      { label: 'upper', color: 'rgba(37,99,235,0.4)' },
                      { label: 'lower', color: 'rgba(37,99,235,0.4)' },
                      { label: 'trigger', color: '#dc2626', dash: [6, 4] },
                    ]}
                    band={{ upper: 2, lower: 3, fill: 'rgba(37,99,235,0.15)' }}
                    data={[
                      history.x,
                      column(history, `${c.id}:estimate`),
                      column(history, `${c.id}:upper`),
                      column(history, `${c.id}:lower`),
                      column(history, `${c.id}:threshold`),
                    ]}
                  />
                ))}
              </div>
            </section>
            <AuditPanel entries={snapshot.audit} />
          </div>
        </div>
      ) : null}
    </>
  );
}

const root = document.getElementById('dashboard');
if (root) createRoot(root).render(<Dashboard />);
