// Pure functions of the extension, tested without VS Code.

/** The extension's settings. */
export interface Settings {
  path: string;
  failOn: "error" | "warning" | "info";
  rules: string[];
}

/** The command that starts the language server. */
export function serverCommand(settings: Settings): { command: string; args: string[] } {
  const args = ["lsp"];
  for (const dir of settings.rules) {
    args.push("--rules", dir);
  }
  return { command: settings.path || "clausier", args };
}

/** LSP severities: 1 error, 2 warning, 3 information, 4 hint. */
const LEVEL: Record<Settings["failOn"], number> = { error: 1, warning: 2, info: 3 };

/** The status bar text for the counts of findings by LSP severity. */
export function statusText(counts: { error: number; warning: number; info: number }, failOn: Settings["failOn"]): {
  text: string;
  failing: boolean;
} {
  const total = counts.error + counts.warning + counts.info;
  const at = [counts.error, counts.warning, counts.info].slice(0, LEVEL[failOn]).reduce((a, b) => a + b, 0);
  const text = total === 0 ? "$(check) clausier" : `$(law) clausier: ${counts.error} ✖ ${counts.warning} ⚠ ${counts.info} ℹ`;
  return { text, failing: at > 0 };
}
