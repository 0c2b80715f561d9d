// "Loss Landscape: Analyze on Slurm…", offered where sbatch is on the extension host's PATH
// (a cluster's login node under Remote-SSH, say): asks for the number of shards, with the
// partition and the time limit remembered in the workspace's settings, submits the shards
// and the merge (engine/slurm.ts), shows the jobs in the status bar while squeue lists them
// (click: cancel them with scancel), and opens the panel on the merged result, or says which
// shard failed and offers its log.
import * as vscode from 'vscode';
import { defaultResultPath } from '../engine/files';
import {
  cancelJobs,
  findCommand,
  MERGE_STATUS_GRACE_MS,
  mergeFailure,
  mergeProgress,
  planSlurm,
  submitSlurm,
  type MergeProgress,
  type SlurmPlan,
  type Submitted,
} from '../engine/slurm';
import { checkBeforeRun, type AnalyzeServices } from './analyzeCommand';

/** How often the status bar asks squeue. */
const POLL_MS = 2000;

interface Watched {
  plan: SlurmPlan;
  jobs: Submitted;
  timer: ReturnType<typeof setInterval>;
  /** Since when the jobs have left the queue without the merge's status showing. */
  unseenSince?: number;
}

export class SlurmJobs implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 50);
  private watched: Watched | null = null;

  constructor(
    private readonly cli: string,
    private readonly services: AnalyzeServices,
    private readonly showResults: (specPath: string) => void,
  ) {
    this.item.command = 'lossLandscape.cancelSlurm';
  }

  /** Whether this machine submits Slurm jobs (sets the context key the palette uses). */
  static available(): boolean {
    const found = findCommand('sbatch') !== null && findCommand('squeue') !== null;
    void vscode.commands.executeCommand('setContext', 'lossLandscape.slurmAvailable', found);
    return found;
  }

  /** With `given` (from a script, a keybinding or a test) nothing is asked. */
  async submit(
    target: vscode.Uri,
    given?: { shards: number; partition?: string; time?: string },
  ): Promise<void> {
    if (!SlurmJobs.available()) {
      void vscode.window.showErrorMessage(
        "sbatch is not on this machine's PATH: open the folder on a cluster's login node (for example with Remote-SSH) to analyze on Slurm.",
      );
      return;
    }
    if (this.watched) {
      void vscode.window.showWarningMessage(
        `Slurm jobs ${this.watched.jobs.arrayJob} and ${this.watched.jobs.mergeJob} are still running: cancel them first (status bar).`,
      );
      return;
    }
    if (!(await checkBeforeRun(target, this.services))) return;
    const settings = vscode.workspace.getConfiguration('lossLandscape', target);
    const asked = given ?? (await this.askAll(settings));
    if (!asked) return;
    const { shards } = asked;
    const partition = asked.partition ?? '';
    const time = asked.time ?? '';
    const scope = vscode.workspace.workspaceFolders
      ? vscode.ConfigurationTarget.Workspace
      : vscode.ConfigurationTarget.Global;
    await settings.update('slurm.shards', shards, scope);
    await settings.update('slurm.partition', partition, scope);
    await settings.update('slurm.time', time, scope);
    const plan = planSlurm(target.fsPath, {
      shards,
      partition: partition || undefined,
      time: time || undefined,
      cli: this.cli,
      out: defaultResultPath(target.fsPath),
    });
    let jobs: Submitted;
    try {
      jobs = submitSlurm(plan);
    } catch (error) {
      void vscode.window.showErrorMessage(`sbatch refused the jobs: ${(error as Error).message}`);
      return;
    }
    this.services.output.appendLine(
      `Slurm: ${shards} shards of ${target.fsPath} as array job ${jobs.arrayJob}, merge job ${jobs.mergeJob}; parts and logs in ${plan.folder}`,
    );
    this.watched = { plan, jobs, timer: setInterval(() => this.poll(), POLL_MS) };
    this.show(`${shards} shards submitted`);
    this.poll();
  }

  /** Cancels the jobs being watched (scancel); the last result stays as it was. */
  cancel(): void {
    const watched = this.watched;
    if (!watched) {
      void vscode.window.showInformationMessage('No Slurm analysis is running.');
      return;
    }
    try {
      cancelJobs([watched.jobs.arrayJob, watched.jobs.mergeJob]);
    } catch (error) {
      void vscode.window.showErrorMessage(`scancel failed: ${(error as Error).message}`);
      return;
    }
    this.stop();
    void vscode.window.showInformationMessage(
      `Cancelled Slurm jobs ${watched.jobs.arrayJob} and ${watched.jobs.mergeJob}; the last result is unchanged.`,
    );
  }

  /** The jobs' state in the status bar, and the outcome once the merge has ended. */
  private poll(): void {
    const watched = this.watched;
    if (!watched) return;
    let progress: MergeProgress;
    try {
      progress = mergeProgress(watched.plan, watched.jobs);
    } catch {
      return; // squeue may fail for a moment (controller restarting): ask again later
    }
    switch (progress.state) {
      case 'running': {
        const { arrayJob, mergeJob } = watched.jobs;
        const shards = progress.jobs.filter(
          (job) => job.id.startsWith(`${arrayJob}_`) || job.id === arrayJob,
        );
        const count = (state: string) => shards.filter((job) => job.state === state).length;
        const merging = progress.jobs.some((job) => job.id === mergeJob && job.state === 'RUNNING');
        watched.unseenSince = undefined;
        this.show(
          merging
            ? 'merging'
            : `shards: ${count('RUNNING')} running, ${count('PENDING')} pending of ${watched.plan.shards}`,
        );
        return;
      }
      case 'unseen':
        // Ended, and its status is on its way through a shared filesystem; or lost.
        watched.unseenSince ??= Date.now();
        if (Date.now() - watched.unseenSince <= MERGE_STATUS_GRACE_MS) return;
        break;
      case 'stopped':
      case 'finished':
        break;
    }
    this.stop();
    const failure = mergeFailure(progress, watched.plan, watched.jobs);
    if (failure) {
      void vscode.window.showErrorMessage(`Slurm: ${failure}`, 'Open merge log').then((choice) => {
        if (choice) void vscode.window.showTextDocument(vscode.Uri.file(watched.plan.mergeLog));
      });
      return;
    }
    const specPath = watched.plan.specPath;
    this.showResults(specPath);
    void vscode.window.showInformationMessage(
      `Merged the ${watched.plan.shards} shards of ${specPath.split(/[\\/]/).pop()}.`,
    );
  }

  /** The shards, partition and time limit, asked with the workspace's last answers filled in. */
  private async askAll(
    settings: vscode.WorkspaceConfiguration,
  ): Promise<{ shards: number; partition: string; time: string } | undefined> {
    const shards = await vscode.window.showInputBox({
      title: 'Analyze on Slurm',
      prompt: 'How many shards? Shard K trains the runs and search starts i with i mod N = K.',
      value: String(settings.get<number>('slurm.shards') ?? 4),
      validateInput: (text) =>
        /^\d+$/.test(text.trim()) && Number(text) >= 1 && Number(text) <= 10000
          ? undefined
          : 'A whole number from 1 to 10000',
    });
    if (shards === undefined) return undefined;
    const partition = await this.ask(
      settings,
      'partition',
      "Partition (empty: the cluster's default)",
    );
    if (partition === undefined) return undefined;
    const time = await this.ask(
      settings,
      'time',
      'Time limit per job, as sbatch takes it (e.g. 30, 2:00:00; empty: the default)',
    );
    if (time === undefined) return undefined;
    return { shards: Number(shards), partition, time };
  }

  private async ask(
    settings: vscode.WorkspaceConfiguration,
    key: 'partition' | 'time',
    prompt: string,
  ): Promise<string | undefined> {
    const text = await vscode.window.showInputBox({
      title: 'Analyze on Slurm',
      prompt,
      value: settings.get<string>(`slurm.${key}`) ?? '',
      validateInput: (value) =>
        value === '' || /^[A-Za-z0-9:,._+/=-]+$/.test(value)
          ? undefined
          : 'One word, as sbatch takes it',
    });
    return text?.trim();
  }

  private show(text: string): void {
    const jobs = this.watched?.jobs;
    this.item.text = `$(server-process) Slurm: ${text}`;
    this.item.tooltip = jobs
      ? `Array job ${jobs.arrayJob}, merge job ${jobs.mergeJob}. Click to cancel them.`
      : undefined;
    this.item.show();
  }

  private stop(): void {
    if (this.watched) clearInterval(this.watched.timer);
    this.watched = null;
    this.item.hide();
  }

  dispose(): void {
    this.stop();
    this.item.dispose();
  }
}
