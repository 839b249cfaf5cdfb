import * as vscode from 'vscode';
import type { TreeNode, TreeSource } from '../tree/node';

const COLLAPSIBLE = {
  none: vscode.TreeItemCollapsibleState.None,
  collapsed: vscode.TreeItemCollapsibleState.Collapsed,
  expanded: vscode.TreeItemCollapsibleState.Expanded,
} as const;

function toItem(node: TreeNode): vscode.TreeItem {
  const item = new vscode.TreeItem(node.label, COLLAPSIBLE[node.collapsible]);
  item.id = node.id;
  item.description = node.description;
  item.tooltip = node.tooltip;
  item.contextValue = node.contextValue;
  item.command = node.command;
  if (node.icon) item.iconPath = new vscode.ThemeIcon(node.icon.id, node.icon.color ? new vscode.ThemeColor(node.icon.color) : undefined);
  return item;
}

/**
 * Shows a TreeSource in a view: rows from its nodes, the view's message from its message. `onVisible` runs each time
 * the view is shown again (e.g. to redo relative times from data already loaded).
 */
export function createTreeView(viewId: string, source: TreeSource, onVisible?: () => void): vscode.Disposable {
  const changed = new vscode.EventEmitter<void>();
  const provider: vscode.TreeDataProvider<TreeNode> = {
    onDidChangeTreeData: changed.event,
    getTreeItem: toItem,
    getChildren: (node?: TreeNode) => (node ? (node.children ?? []) : source.roots),
  };
  const view = vscode.window.createTreeView(viewId, { treeDataProvider: provider, showCollapseAll: true });
  view.message = source.message;
  view.badge = source.badge;
  const subscription = source.onDidChange(() => {
    view.message = source.message;
    view.badge = source.badge;
    changed.fire();
  });
  const visibility = view.onDidChangeVisibility((event) => {
    if (event.visible) onVisible?.();
  });
  return vscode.Disposable.from(view, changed, subscription, visibility);
}
