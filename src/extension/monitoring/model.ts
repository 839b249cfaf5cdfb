import type { ChangeEvent } from '../../shared/engine-api';
import type { AlertRecord, MonitorInfo, MonitorReportSummary } from '../../shared/monitoring';
import { disconnectedMessage } from '../connection/status';
import type { EngineService } from '../connection/service';
import type { TreeNode, TreeSource } from '../tree/node';
import { Emitter } from '../util/emitter';
import { SerialRefresh } from '../util/serial-refresh';
import { collectMonitoringTree, monitoringBadge } from './collect';
import { fetchMonitors, fetchOpenAlerts, fetchReports } from './fetch';

/** A monitor run stores a report and raises alerts in quick succession; one reload per burst. */
const COALESCE_MS = 150;
/** Reports listed under each monitor. */
export const REPORTS_PER_MONITOR = 10;
export const MAX_ALERTS = 100;

/**
 * The Monitoring view's state: monitors with their latest reports, and open alerts. Reloads when the connection comes
 * up and on change events with topic `monitors` (key: a monitor name when a report is stored, `alert:<id>` when an
 * alert is raised or acknowledged); never on a timer. Alerts announced by an event that were raised after the view
 * first connected are passed to `onAlert` once each, so opening the editor does not replay old alerts.
 */
export class MonitoringModel implements TreeSource {
  roots: TreeNode[] = [];
  monitors: MonitorInfo[] = [];
  reports = new Map<string, MonitorReportSummary[]>();
  alerts: AlertRecord[] = [];
  message: string | undefined = 'Connecting to the Slipway engine…';
  badge: { value: number; tooltip: string } | undefined;
  private readonly changed = new Emitter<void>();
  private readonly raised = new Emitter<AlertRecord>();
  readonly onDidChange = (listener: () => void) => this.changed.event(listener);
  /** A new, unacknowledged alert arrived through the event stream. */
  readonly onAlert = (listener: (alert: AlertRecord) => void) => this.raised.event(listener);
  private readonly refresher = new SerialRefresh(() => this.load());
  private readonly subscriptions: { dispose(): void }[] = [];
  /** When the view first connected (epoch ms); alerts older than this are never announced. */
  private connectedSince: number | undefined;
  private readonly announced = new Set<string>();
  private readonly pending = new Set<string>();

  constructor(
    private readonly engine: EngineService,
    private readonly now: () => number = Date.now,
  ) {
    this.subscriptions.push(
      engine.onState((state) => {
        if (state.kind === 'connected') {
          this.connectedSince ??= this.now();
          void this.refresh();
        } else {
          this.roots = [];
          this.monitors = [];
          this.reports = new Map();
          this.alerts = [];
          this.badge = undefined;
          this.message = disconnectedMessage(state);
          this.changed.fire();
        }
      }),
      engine.onChange((event) => this.onEngineChange(event)),
    );
    if (engine.state.kind === 'connected') {
      this.connectedSince = this.now();
      void this.refresh();
    }
  }

  private onEngineChange(event: ChangeEvent): void {
    if (event.topic !== 'monitors') return;
    if (event.key.startsWith('alert:')) this.pending.add(event.key.slice('alert:'.length));
    this.refresher.soon(COALESCE_MS);
  }

  /** Reloads the tree; a refresh asked for while one runs is done once more right after it. */
  refresh(): Promise<void> {
    return this.refresher.run();
  }

  private async load(): Promise<void> {
    const state = this.engine.state;
    if (state.kind !== 'connected') return;
    // Ids announced before this load started; events arriving during it are handled by the reload they schedule.
    const asked = new Set(this.pending);
    this.pending.clear();
    try {
      const [monitors, alerts] = await Promise.all([fetchMonitors(state.http), fetchOpenAlerts(state.http, MAX_ALERTS)]);
      const lists = await Promise.all(monitors.map((m) => fetchReports(state.http, m.name, REPORTS_PER_MONITOR)));
      this.monitors = monitors;
      this.alerts = alerts;
      this.reports = new Map(monitors.map((m, i) => [m.name, lists[i] ?? []]));
      this.roots = collectMonitoringTree(monitors, this.reports, alerts, this.now());
      this.badge = monitoringBadge(alerts);
      this.message = this.roots.length ? undefined : 'No monitors yet. Declare one under `monitors:` in slipway.yaml, then run `slipway monitor run`.';
    } catch (error) {
      this.message = `Could not load the monitors: ${(error as Error).message}`;
    }
    this.changed.fire();
    this.announce(asked);
  }

  /**
   * Rebuilds the rows from the data already loaded, so relative times ("2h ago") are current when the view is shown
   * again; nothing is fetched.
   */
  rerender(): void {
    if (this.engine.state.kind !== 'connected' || !this.monitors.length) return;
    this.roots = collectMonitoringTree(this.monitors, this.reports, this.alerts, this.now());
    this.changed.fire();
  }

  /** Alerts not open (acknowledged, or beyond the list) when their event is handled need no notice. */
  private announce(asked: ReadonlySet<string>): void {
    const since = this.connectedSince ?? Infinity;
    for (const alert of this.alerts) {
      if (!asked.has(alert.id) || this.announced.has(alert.id)) continue;
      if (alert.acknowledged_ms === null && alert.created_ms >= since) {
        this.announced.add(alert.id);
        this.raised.fire(alert);
      }
    }
  }

  dispose(): void {
    this.refresher.cancel();
    for (const s of this.subscriptions) s.dispose();
    this.changed.dispose();
    this.raised.dispose();
  }
}
