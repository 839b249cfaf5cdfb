import type { Node } from 'yaml';
import type { YamlFile } from '../yaml';
import { trackingSection } from '../tracking/config';
import { dataSection } from '../versioning/config';
import { remotesSection } from '../versioning/remote-config';
import { servingSection } from '../serving/config';
import { alertsSection, monitorsSection, reportAlertMonitors } from '../monitoring/config';

/**
 * A top-level section of slipway.yaml that a pillar owns. `parse` reports problems on the file (with ranges) and
 * returns the section's value; `defaults` is used when the section is absent.
 */
export interface SectionSpec<T> {
  name: string;
  description: string;
  parse(file: YamlFile, node: Node | null): T;
  defaults(): T;
}

/** Every section slipway.yaml accepts. A pillar adds its section here; any other top-level key is an error. */
export const sections = [trackingSection, dataSection, remotesSection, servingSection, monitorsSection, alertsSection] as const;

type SectionValues = { [S in (typeof sections)[number] as S['name']]: ReturnType<S['defaults']> };
export type ProjectSettings = SectionValues;

/**
 * Rules that need more than one section, run after every section has parsed. They report on the file like the
 * sections do; {@link loadProjectConfig} does not fail on them, since only the command using both sections needs them
 * (`slipway monitor run` enforces the alert rule's monitors itself).
 */
export const crossChecks: readonly ((file: YamlFile, settings: ProjectSettings) => void)[] = [
  (file, settings) => reportAlertMonitors(file, settings.monitors, settings.alerts),
];
