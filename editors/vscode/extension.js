// The VS Code side of `outcomes-lint lsp`: starts the language server for CSV files and lets
// vscode-languageclient do the rest (diagnostics, quick fixes, hover). Plain CommonJS, so there
// is nothing to build: `npm install` and it runs.
'use strict';

const vscode = require('vscode');
const { LanguageClient } = require('vscode-languageclient/node');

/** @type {LanguageClient | undefined} */
let client;

/** @param {vscode.ExtensionContext} context */
async function activate(context) {
  context.subscriptions.push(
    vscode.workspace.onDidChangeConfiguration(async (event) => {
      if (event.affectsConfiguration('outcomes-lint.path')) {
        await stop();
        await start();
      }
    }),
    { dispose: stop },
  );
  await start();
}

async function start() {
  const command = vscode.workspace.getConfiguration('outcomes-lint').get('path') || 'outcomes-lint';
  // The server reads and writes the protocol on its standard streams.
  const serverOptions = { command, args: ['lsp'] };
  const clientOptions = {
    // The server itself stays silent on CSV files without an outcomes header.
    documentSelector: [
      { scheme: 'file', language: 'csv' },
      { scheme: 'untitled', language: 'csv' },
      { scheme: 'file', pattern: '**/*.csv' },
    ],
  };
  client = new LanguageClient('outcomes-lint', 'outcomes-lint', serverOptions, clientOptions);
  try {
    await client.start();
  } catch (error) {
    client = undefined;
    const message =
      `outcomes-lint: could not start \`${command} lsp\` (${error && error.message ? error.message : error}). ` +
      'Install it with `cargo install --path crates/outcomes-lint`, or set "outcomes-lint.path".';
    vscode.window.showErrorMessage(message);
  }
}

async function stop() {
  const running = client;
  client = undefined;
  if (running) {
    await running.stop();
  }
}

function deactivate() {
  return stop();
}

module.exports = { activate, deactivate };
