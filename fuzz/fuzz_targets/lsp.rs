//! The language server's message handling: any bytes from the client,
//! after a valid `initialize`, then `shutdown` and `exit`.
#![no_main]
use clausier::lint::CommandLine;
use libfuzzer_sys::fuzz_target;

fn framed(body: &str) -> Vec<u8> {
    format!("Content-Length: {}\r\n\r\n{body}", body.len()).into_bytes()
}

fuzz_target!(|data: &[u8]| {
    let mut input = framed(r#"{"jsonrpc":"2.0","id":0,"method":"initialize","params":{"capabilities":{}}}"#);
    input.extend(framed(r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#));
    input.extend_from_slice(data);
    input.extend(framed(r#"{"jsonrpc":"2.0","id":99,"method":"shutdown"}"#));
    input.extend(framed(r#"{"jsonrpc":"2.0","method":"exit"}"#));
    let _ = clausier::lsp::serve_messages(CommandLine::default(), &mut std::io::Cursor::new(input));
});
