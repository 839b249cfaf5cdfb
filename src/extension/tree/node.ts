/** What a tree row shows, independent of the VS Code API (the adapter in ../vscode turns it into a TreeItem). */
export interface TreeNode {
  /** Stable across refreshes, so expanded rows stay expanded. */
  id: string;
  label: string;
  description?: string;
  tooltip?: string;
  /** A codicon id, optionally coloured by a theme colour id. */
  icon?: { id: string; color?: string };
  collapsible: 'none' | 'collapsed' | 'expanded';
  /** Matched by `view/item/context` menus' `viewItem` clauses. */
  contextValue?: string;
  command?: { command: string; title: string; arguments?: unknown[] };
  children?: TreeNode[];
}

/** A tree's content and the sentence shown above it (e.g. why it is empty). */
export interface TreeSource {
  readonly roots: TreeNode[];
  readonly message: string | undefined;
  /** A count on the view's tab, e.g. paths that need attention. */
  readonly badge?: { value: number; tooltip: string } | undefined;
  readonly onDidChange: (listener: () => void) => { dispose(): void };
}
