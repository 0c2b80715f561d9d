import assert from 'node:assert/strict';
import { panelHtml } from '../../src/extension/panelHtml';
import { isHostMessage, isPanelMessage } from '../../src/protocol/panelMessages';

describe('panel HTML and messages', () => {
  const html = panelHtml({
    cspSource: 'https://webview.test',
    scriptUri: 'https://webview.test/dist/webview/panel.js',
    styleUri: 'https://webview.test/media/panel.css',
    title: 'Loss Landscape: <xor>',
    nonce: 'abc123',
  });
  const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(html)![1];

  it('allows only its own nonce-tagged script and its own stylesheet', () => {
    const directives = Object.fromEntries(
      policy.split(';').map((d) => {
        const [name, ...values] = d.trim().split(/\s+/);
        return [name, values];
      }),
    );
    assert.deepEqual(directives['default-src'], ["'none'"]);
    assert.deepEqual(directives['script-src'], ["'nonce-abc123'"]);
    assert.deepEqual(directives['style-src'], ['https://webview.test']);
    assert.ok(!policy.includes('unsafe'), 'no unsafe-inline or unsafe-eval');
    const scripts = [...html.matchAll(/<script([^>]*)>/g)].map((m) => m[1]);
    assert.deepEqual(scripts, [' nonce="abc123" src="https://webview.test/dist/webview/panel.js"']);
  });

  it('escapes the title', () => {
    assert.match(html, /<title>Loss Landscape: &lt;xor&gt;<\/title>/);
  });

  it('accepts only well-formed messages from either side', () => {
    assert.equal(isPanelMessage({ type: 'ready' }), true);
    assert.equal(isPanelMessage({ type: 'export', format: 'png', name: 'a.png', data: 'x' }), true);
    assert.equal(isPanelMessage({ type: 'export', format: 'exe', name: 'a', data: 'x' }), false);
    assert.equal(isPanelMessage({ type: 'export', format: 'csv', name: 1, data: 'x' }), false);
    assert.equal(isPanelMessage({ type: 'export-weights', id: 'run-0' }), true);
    assert.equal(isPanelMessage({ type: 'export-weights', id: ['run-0'] }), false);
    assert.equal(isPanelMessage({ type: 'rm -rf' }), false);
    assert.equal(isPanelMessage(null), false);
    assert.equal(isHostMessage({ type: 'snapshot', snapshot: {} }), true);
    assert.equal(isHostMessage({ type: 'ready' }), false);
  });
});
