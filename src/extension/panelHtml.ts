// The panel's HTML: a strict Content-Security-Policy (nothing but the extension's own
// script, with a fresh nonce, and its own stylesheet), and an empty root the bundle fills.
// No `vscode` import, so the policy is tested without an editor.
import { randomBytes } from 'node:crypto';

export interface PanelHtmlInputs {
  /** `webview.cspSource`: the origin the webview serves local resources from. */
  cspSource: string;
  scriptUri: string;
  styleUri: string;
  title: string;
  nonce?: string;
}

export function newNonce(): string {
  return randomBytes(18)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '');
}

function escapeHtml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!,
  );
}

export function panelHtml(inputs: PanelHtmlInputs): string {
  const nonce = inputs.nonce ?? newNonce();
  const policy = [
    "default-src 'none'",
    `img-src ${inputs.cspSource} data:`,
    `style-src ${inputs.cspSource}`,
    `font-src ${inputs.cspSource}`,
    `script-src 'nonce-${nonce}'`,
  ].join('; ');
  return `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="UTF-8">
<meta http-equiv="Content-Security-Policy" content="${policy}">
<meta name="viewport" content="width=device-width, initial-scale=1.0">
<link rel="stylesheet" href="${escapeHtml(inputs.styleUri)}">
<title>${escapeHtml(inputs.title)}</title>
</head>
<body>
<main id="app"></main>
<script nonce="${nonce}" src="${escapeHtml(inputs.scriptUri)}"></script>
</body>
</html>`;
}
