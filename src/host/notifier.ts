// Shows notifications without blocking the command that raised them, and keeps the last ones so the
// integration tests can assert exactly what the user was told.
import * as vscode from 'vscode';

export type Severity = 'info' | 'warning' | 'error';
export interface ShownMessage {
  severity: Severity;
  text: string;
  actions: string[];
}

const KEPT_MESSAGES = 50;

export class Notifier {
  private readonly shown: ShownMessage[] = [];

  /** Shows the message; `onAction` runs when the user picks one of `actions`. Never awaits the user. */
  show(severity: Severity, text: string, actions: Record<string, () => unknown> = {}): void {
    this.shown.push({ severity, text, actions: Object.keys(actions) });
    if (this.shown.length > KEPT_MESSAGES) this.shown.shift();
    const show = severity === 'error' ? vscode.window.showErrorMessage
      : severity === 'warning' ? vscode.window.showWarningMessage : vscode.window.showInformationMessage;
    void Promise.resolve(show(text, ...Object.keys(actions))).then(picked => {
      if (picked) return actions[picked]?.();
    });
  }

  get messages(): readonly ShownMessage[] {
    return this.shown;
  }
}
