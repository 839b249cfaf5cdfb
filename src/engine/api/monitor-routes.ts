import type { AlertsResponse, MonitorReportsResponse, MonitorsResponse } from '../../shared/monitoring';
import { MONITOR_ROUTES } from '../../shared/monitoring';
import { SlipwayError } from '../errors';
import { acknowledgeAlert, describeMonitors, getReport, listAlerts, listReports, monitorHistory, type LiveProject } from '../monitoring';
import { sendJson } from './http-util';
import type { Route } from './router';

function limitOf(text: string | null, fallback: number, max: number): number {
  if (text === null) return fallback;
  const n = Number(text);
  if (!/^\d+$/.test(text) || n < 1 || n > max) throw new SlipwayError('INVALID_PARAMETER_VALUE', `limit must be a whole number from 1 to ${max}; got "${text}".`);
  return n;
}

/**
 * Monitoring routes (MONITOR_ROUTES): monitors with their latest status, a monitor's reports and history, one
 * report, alerts, and acknowledging an alert (POST, token required).
 */
export function monitorRoutes(live: LiveProject): Route[] {
  const knownMonitor = (name: string): void => {
    const project = live.current;
    if (project.config.settings.monitors.monitors[name]) return;
    if (listReports(project.store, name, 1).length) return;
    throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No monitor "${name}". Declare it under \`monitors:\` in slipway.yaml.`);
  };
  return [
    {
      method: 'GET',
      path: MONITOR_ROUTES.monitors,
      mutating: false,
      handle({ res }) {
        const body: MonitorsResponse = { monitors: describeMonitors(live.current) };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'GET',
      path: `${MONITOR_ROUTES.monitors}/*`,
      mutating: false,
      handle({ res, url, rest }) {
        const match = /^([^/]+)\/(reports|history)$/.exec(rest);
        if (!match) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No route GET ${url.pathname}; use ${MONITOR_ROUTES.monitors}/NAME/reports or /history.`);
        const name = decodeURIComponent(match[1]!);
        knownMonitor(name);
        const store = live.current.store;
        if (match[2] === 'reports') {
          const body: MonitorReportsResponse = { reports: listReports(store, name, limitOf(url.searchParams.get('limit'), 50, 1000)) };
          sendJson(res, 200, body);
        } else {
          sendJson(res, 200, monitorHistory(store, name, limitOf(url.searchParams.get('limit'), 90, 1000)));
        }
      },
    },
    {
      method: 'GET',
      path: `${MONITOR_ROUTES.report('')}*`,
      mutating: false,
      handle({ res, rest }) {
        sendJson(res, 200, getReport(live.current.store, decodeURIComponent(rest)));
      },
    },
    {
      method: 'GET',
      path: MONITOR_ROUTES.alerts,
      mutating: false,
      handle({ res, url }) {
        const open = url.searchParams.get('open');
        const monitor = url.searchParams.get('monitor') ?? undefined;
        const body: AlertsResponse = { alerts: listAlerts(live.current.store, { open: open === '1' || open === 'true', monitor, limit: limitOf(url.searchParams.get('limit'), 100, 1000) }) };
        sendJson(res, 200, body);
      },
    },
    {
      method: 'POST',
      path: `${MONITOR_ROUTES.alerts}/*`,
      mutating: true,
      handle({ res, url, rest }) {
        const match = /^([^/]+)\/ack$/.exec(rest);
        if (!match) throw new SlipwayError('RESOURCE_DOES_NOT_EXIST', `No route POST ${url.pathname}; use ${MONITOR_ROUTES.alertAck('ID')}.`);
        sendJson(res, 200, acknowledgeAlert(live.current.store, decodeURIComponent(match[1]!)));
      },
    },
  ];
}
