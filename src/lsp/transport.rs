//! The server's stdio transport: lsp-server's framing and message types,
//! with a reader that skips what it cannot parse instead of stopping, so
//! that a confused client or a stray write to the server's stdin does not
//! end the editor's session.

use crossbeam_channel::{unbounded, Sender};
use lsp_server::{Connection, Message};
use std::io::{self, BufRead, Write};
use std::thread::JoinHandle;

/// Malformed messages in a row after which the input is deemed broken
/// (an input that errors without ever advancing, such as a failing pipe).
const MAX_ERRORS_IN_A_ROW: usize = 1000;

/// The reader and writer threads; join them after the connection is dropped.
pub struct IoThreads {
    reader: JoinHandle<()>,
    writer: JoinHandle<io::Result<()>>,
}

impl IoThreads {
    /// Waits for both threads: the writer has flushed every message.
    pub fn join(self) -> io::Result<()> {
        let _ = self.reader.join();
        self.writer.join().map_err(|_| io::Error::other("the writer thread panicked"))?
    }
}

/// A connection over this process's stdin and stdout.
pub fn stdio() -> (Connection, IoThreads) {
    let (to_server, receiver) = unbounded::<Message>();
    let (sender, to_client) = unbounded::<Message>();
    let reader = std::thread::spawn(move || read_messages(&mut io::stdin().lock(), &to_server));
    let writer = std::thread::spawn(move || {
        let mut out = io::stdout().lock();
        for message in to_client {
            message.write(&mut out)?;
            out.flush()?;
        }
        Ok(())
    });
    (Connection { sender, receiver }, IoThreads { reader, writer })
}

/// Reads framed messages from `input` until end of input or `exit`; a
/// message that is not valid JSON-RPC is reported on stderr and skipped.
pub fn read_messages(input: &mut impl BufRead, to_server: &Sender<Message>) {
    let mut errors = 0;
    loop {
        match Message::read(input) {
            Ok(Some(message)) => {
                errors = 0;
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if to_server.send(message).is_err() || exit {
                    return;
                }
            }
            Ok(None) => return,
            Err(e) => {
                errors += 1;
                let text: String = e.to_string().chars().take(200).collect();
                eprintln!("clausier lsp: skipped a malformed message: {text}");
                if errors >= MAX_ERRORS_IN_A_ROW || e.kind() == io::ErrorKind::UnexpectedEof {
                    return;
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn framed(body: &str) -> String {
        format!("Content-Length: {}\r\n\r\n{body}", body.len())
    }

    #[test]
    fn garbage_between_messages_is_skipped() {
        let ok = r#"{"jsonrpc":"2.0","method":"initialized","params":{}}"#;
        let mut input = String::new();
        input.push_str("this is not a header\r\n\r\n");
        input.push_str(&framed(ok));
        input.push_str(&framed("{not json"));
        input.push_str(&framed(r#"{"jsonrpc":"2.0","id":1,"method":"shutdown"}"#));
        let (tx, rx) = unbounded();
        read_messages(&mut io::Cursor::new(input.into_bytes()), &tx);
        let got: Vec<Message> = rx.try_iter().collect();
        assert_eq!(got.len(), 2, "{got:?}");
        assert!(matches!(&got[0], Message::Notification(n) if n.method == "initialized"));
        assert!(matches!(&got[1], Message::Request(r) if r.method == "shutdown"));
    }

    #[test]
    fn invalid_utf8_and_a_truncated_body_end_cleanly() {
        let mut input = b"Content-Length: 4\r\n\r\n\xff\xfe\xfd\xfc".to_vec();
        input.extend_from_slice(b"Content-Length: 100\r\n\r\n{\"jsonrpc\"");
        let (tx, rx) = unbounded();
        read_messages(&mut io::Cursor::new(input), &tx);
        assert_eq!(rx.try_iter().count(), 0);
    }
}
