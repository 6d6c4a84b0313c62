-- Neovim (0.7, Debian's package) as a second real client of `clausier lsp`:
-- attach the server to the opened buffer, write the first diagnostics it
-- publishes as JSON to $CLAUSIER_OUT, and quit.
local out = os.getenv("CLAUSIER_OUT")
local bin = os.getenv("CLAUSIER_BIN")
local handler = vim.lsp.handlers["textDocument/publishDiagnostics"]
vim.lsp.handlers["textDocument/publishDiagnostics"] = function(err, result, ctx, config)
  handler(err, result, ctx, config)
  if result and #result.diagnostics > 0 then
    local f = io.open(out, "w")
    f:write(vim.fn.json_encode(result))
    f:close()
    vim.schedule(function() vim.cmd("qall!") end)
  end
end
local client = vim.lsp.start_client({ name = "clausier", cmd = { bin, "lsp" }, root_dir = vim.fn.getcwd() })
-- The file's buffer exists only once Neovim has started.
vim.api.nvim_create_autocmd("VimEnter", {
  callback = function() vim.lsp.buf_attach_client(0, client) end,
})
vim.defer_fn(function() vim.cmd("cquit 3") end, 20000)
