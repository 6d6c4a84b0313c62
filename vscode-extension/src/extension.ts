// The clausier extension: starts `clausier lsp` and shows a status bar item.
import * as vscode from "vscode";
import { LanguageClient, LanguageClientOptions, ServerOptions } from "vscode-languageclient/node";
import { Settings, serverCommand, statusText } from "./settings";

let client: LanguageClient | undefined;

function settings(): Settings {
  const c = vscode.workspace.getConfiguration("clausier");
  return {
    path: c.get<string>("path", "clausier"),
    failOn: c.get<Settings["failOn"]>("failOn", "warning"),
    rules: c.get<string[]>("rules", []),
  };
}

export async function activate(context: vscode.ExtensionContext): Promise<void> {
  const status = vscode.window.createStatusBarItem(vscode.StatusBarAlignment.Left, 10);
  status.command = "workbench.actions.view.problems";
  context.subscriptions.push(status);

  const { command, args } = serverCommand(settings());
  const serverOptions: ServerOptions = { command, args };
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { scheme: "file", language: "markdown" },
      { scheme: "file", language: "plaintext" },
    ],
    synchronize: {
      fileEvents: vscode.workspace.createFileSystemWatcher("**/{.clausier.yaml,*.yaml,*.md,*.txt,*.docx,*.odt,*.pdf}"),
    },
  };
  client = new LanguageClient("clausier", "clausier", serverOptions, clientOptions);

  const refresh = () => {
    const counts = { error: 0, warning: 0, info: 0 };
    for (const [, diagnostics] of vscode.languages.getDiagnostics()) {
      for (const d of diagnostics) {
        if (d.source !== "clausier") continue;
        if (d.severity === vscode.DiagnosticSeverity.Error) counts.error++;
        else if (d.severity === vscode.DiagnosticSeverity.Warning) counts.warning++;
        else counts.info++;
      }
    }
    const { text, failing } = statusText(counts, settings().failOn);
    status.text = text;
    status.backgroundColor = failing ? new vscode.ThemeColor("statusBarItem.errorBackground") : undefined;
    status.show();
  };
  context.subscriptions.push(vscode.languages.onDidChangeDiagnostics(refresh));
  refresh();
  await client.start();
}

export async function deactivate(): Promise<void> {
  await client?.stop();
}
