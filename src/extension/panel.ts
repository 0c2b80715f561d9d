// The results panels, one per spec file: created by Analyze or Show Results, restored after
// a reload by the serializer, fed with the engine's events while a run is in progress
// (panelFeed.ts: batched, and the whole run again to a webview that starts over).
import { writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import * as vscode from 'vscode';
import type { EngineEvent } from '../protocol/events';
import {
  isPanelMessage,
  type PanelMessage,
  type PanelSnapshot,
  type PanelStatus,
} from '../protocol/panelMessages';
import { PanelFeed } from './panelFeed';
import { panelHtml } from './panelHtml';
import { readStoredResult } from './resultStore';
import { engineSupport } from './engineSupport';
import { defaultResultPath } from '../engine/files';

export const PANEL_VIEW_TYPE = 'lossLandscape.results';

export interface PanelActions {
  analyze(specUri: vscode.Uri): void;
  cancel(specUri: vscode.Uri): void;
  openResult(specUri: vscode.Uri): void;
  showLog(): void;
}

export class ResultsPanels implements vscode.WebviewPanelSerializer {
  private readonly panels = new Map<string, ResultsPanel>();

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly actions: PanelActions,
  ) {}

  /** Reveals the panel of this spec, creating it (beside the editor) if needed. */
  show(specPath: string, preserveFocus = false): ResultsPanel {
    const existing = this.panels.get(specPath);
    if (existing) {
      existing.reveal(preserveFocus);
      return existing;
    }
    const webviewPanel = vscode.window.createWebviewPanel(
      PANEL_VIEW_TYPE,
      panelTitle(specPath),
      { viewColumn: vscode.ViewColumn.Beside, preserveFocus },
      this.webviewOptions(),
    );
    return this.adopt(webviewPanel, specPath);
  }

  /** The spec of the panel the user is looking at, if a results panel is active. */
  activeSpec(): string | undefined {
    for (const panel of this.panels.values()) if (panel.active) return panel.specPath;
    return undefined;
  }

  /** Restores a panel after VS Code reloads, from the state the webview saved. */
  async deserializeWebviewPanel(webviewPanel: vscode.WebviewPanel, state: unknown): Promise<void> {
    const specPath = (state as { specPath?: unknown } | undefined)?.specPath;
    if (typeof specPath !== 'string' || specPath === '') {
      webviewPanel.dispose();
      return;
    }
    webviewPanel.webview.options = this.webviewOptions();
    this.adopt(webviewPanel, specPath);
  }

  /** Marks every open panel's result stale or current after its spec (or data) changed. */
  refreshStaleness(): void {
    for (const panel of this.panels.values()) panel.refreshStaleness();
  }

  dispose(): void {
    for (const panel of this.panels.values()) panel.dispose();
  }

  private webviewOptions(): vscode.WebviewOptions & vscode.WebviewPanelOptions {
    return {
      enableScripts: true,
      retainContextWhenHidden: false,
      localResourceRoots: [
        vscode.Uri.joinPath(this.extensionUri, 'dist', 'webview'),
        vscode.Uri.joinPath(this.extensionUri, 'media'),
      ],
    };
  }

  private adopt(webviewPanel: vscode.WebviewPanel, specPath: string): ResultsPanel {
    const panel = new ResultsPanel(webviewPanel, specPath, this.extensionUri, this.actions);
    this.panels.set(specPath, panel);
    webviewPanel.onDidDispose(() => {
      if (this.panels.get(specPath) === panel) this.panels.delete(specPath);
    });
    return panel;
  }
}

function panelTitle(specPath: string): string {
  return `Loss Landscape: ${basename(specPath).replace(/\.loss\.json$/i, '')}`;
}

export class ResultsPanel {
  private status: PanelStatus = 'empty';
  private message: string | undefined;
  private disposed = false;
  private readonly feed: PanelFeed;

  constructor(
    private readonly webviewPanel: vscode.WebviewPanel,
    readonly specPath: string,
    extensionUri: vscode.Uri,
    private readonly actions: PanelActions,
  ) {
    const { webview } = webviewPanel;
    this.feed = new PanelFeed({
      post: (message) => webview.postMessage(message),
      snapshot: () => this.snapshot(),
    });
    webview.html = panelHtml({
      cspSource: webview.cspSource,
      scriptUri: webview
        .asWebviewUri(vscode.Uri.joinPath(extensionUri, 'dist', 'webview', 'panel.js'))
        .toString(),
      styleUri: webview
        .asWebviewUri(vscode.Uri.joinPath(extensionUri, 'media', 'panel.css'))
        .toString(),
      title: panelTitle(specPath),
    });
    webviewPanel.iconPath = vscode.Uri.joinPath(extensionUri, 'media', 'icon.svg');
    webview.onDidReceiveMessage((message: unknown) => {
      if (isPanelMessage(message)) void this.handle(message);
    });
    webviewPanel.onDidDispose(() => {
      this.disposed = true;
      this.feed.webviewGone();
      this.feed.dispose();
    });
    // A hidden panel's webview is discarded (its UI state is kept with setState); shown
    // again, it starts over and says `ready`.
    webviewPanel.onDidChangeViewState(({ webviewPanel: changed }) => {
      if (!changed.visible) this.feed.webviewGone();
    });
  }

  get active(): boolean {
    return !this.disposed && this.webviewPanel.active;
  }

  reveal(preserveFocus: boolean): void {
    this.webviewPanel.reveal(undefined, preserveFocus);
  }

  dispose(): void {
    this.webviewPanel.dispose();
  }

  /** Forwards one engine event of a run of this spec. */
  forward(event: EngineEvent): void {
    if (event.type === 'start') {
      this.status = 'running';
      this.message = undefined;
    }
    this.feed.forward(event);
  }

  /** A run starts: show it as running at once, before the engine has loaded the data. */
  starting(): void {
    this.status = 'running';
    this.message = undefined;
    this.feed.startRun();
  }

  /** The run ended: the panel reloads the result from disk (or keeps the previous one). */
  finish(status: 'done' | 'failed' | 'cancelled', message?: string): void {
    this.status = status;
    this.message = message;
    this.feed.endRun();
  }

  refreshStaleness(): void {
    const stored = readStoredResult(this.specPath);
    this.feed.postAside({ type: 'stale', stale: stored?.stale ?? false });
  }

  private snapshot(): PanelSnapshot {
    const stored = readStoredResult(this.specPath);
    const status =
      this.status === 'empty' && stored
        ? 'done'
        : this.status === 'done' && !stored
          ? 'empty'
          : this.status;
    return {
      file: basename(this.specPath),
      specPath: this.specPath,
      status,
      result: stored?.result ?? null,
      stale: stored?.stale ?? false,
      message: this.message,
    };
  }

  private async handle(message: PanelMessage): Promise<void> {
    const specUri = vscode.Uri.file(this.specPath);
    switch (message.type) {
      case 'ready':
        this.feed.webviewReady();
        return;
      case 'analyze':
        this.actions.analyze(specUri);
        return;
      case 'cancel':
        this.actions.cancel(specUri);
        return;
      case 'open-result':
        this.actions.openResult(specUri);
        return;
      case 'show-log':
        this.actions.showLog();
        return;
      case 'export':
        await this.export(message.format, message.name, message.data);
        return;
      case 'export-weights':
        await this.exportWeights(message.id);
        return;
    }
  }

  /** Asks where, then writes the run's θ as a PyTorch state_dict in safetensors. */
  private async exportWeights(id: string): Promise<void> {
    const stem = basename(this.specPath).replace(/(\.loss)?\.json$/i, '');
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(
        join(dirname(this.specPath), `${stem}-${id.replace(/[^\w-]/g, '-')}.safetensors`),
      ),
      filters: { safetensors: ['safetensors'] },
    });
    if (!target) return;
    const written = engineSupport().exportRun(defaultResultPath(this.specPath), id, target.fsPath);
    if (written.status === 0) void vscode.window.showInformationMessage(written.message);
    else void vscode.window.showErrorMessage(written.message);
  }

  private async export(format: 'png' | 'csv', name: string, data: string): Promise<void> {
    const target = await vscode.window.showSaveDialog({
      defaultUri: vscode.Uri.file(join(dirname(this.specPath), basename(name))),
      filters: format === 'png' ? { 'PNG image': ['png'] } : { CSV: ['csv'] },
    });
    if (!target) return;
    const bytes =
      format === 'png'
        ? Buffer.from(data.replace(/^data:image\/png;base64,/, ''), 'base64')
        : Buffer.from(data, 'utf8');
    try {
      writeFileSync(target.fsPath, bytes);
      void vscode.window.showInformationMessage(`Saved ${basename(target.fsPath)}.`);
    } catch (error) {
      void vscode.window.showErrorMessage(
        `Could not save ${target.fsPath}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
}
