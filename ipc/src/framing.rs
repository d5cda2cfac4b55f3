//! Newline-delimited JSON framing over tokio-util's `LinesCodec`, made resilient: an oversize line
//! or invalid UTF-8 becomes a frame the server answers with an error, instead of ending the stream
//! (a plain `FramedRead` stops at the first decoder error).

use tokio_util::bytes::BytesMut;
use tokio_util::codec::{Decoder, Encoder, LinesCodec, LinesCodecError};

/// One unit read from the wire.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Frame {
    /// A complete line, without its `\n` (and `\r`, if any).
    Line(String),
    /// A line longer than the limit; its bytes were discarded up to the next newline.
    TooLong,
    /// A line that is not valid UTF-8; it was discarded.
    NotUtf8,
}

/// Decodes [`Frame`]s and encodes lines (adding the newline).
#[derive(Debug)]
pub struct FrameCodec {
    lines: LinesCodec,
}

impl FrameCodec {
    pub fn new(max_line_bytes: usize) -> FrameCodec {
        FrameCodec {
            lines: LinesCodec::new_with_max_length(max_line_bytes),
        }
    }
}

impl Decoder for FrameCodec {
    type Item = Frame;
    type Error = std::io::Error;

    fn decode(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, std::io::Error> {
        classify(self.lines.decode(buf))
    }

    fn decode_eof(&mut self, buf: &mut BytesMut) -> Result<Option<Frame>, std::io::Error> {
        classify(self.lines.decode_eof(buf))
    }
}

fn classify(
    result: Result<Option<String>, LinesCodecError>,
) -> Result<Option<Frame>, std::io::Error> {
    match result {
        Ok(line) => Ok(line.map(Frame::Line)),
        Err(LinesCodecError::MaxLineLengthExceeded) => Ok(Some(Frame::TooLong)),
        // LinesCodec consumes the offending line before reporting bad UTF-8.
        Err(LinesCodecError::Io(e)) if e.kind() == std::io::ErrorKind::InvalidData => {
            Ok(Some(Frame::NotUtf8))
        }
        Err(LinesCodecError::Io(e)) => Err(e),
    }
}

impl<T: AsRef<str>> Encoder<T> for FrameCodec {
    type Error = std::io::Error;

    fn encode(&mut self, line: T, buf: &mut BytesMut) -> Result<(), std::io::Error> {
        self.lines.encode(line, buf).map_err(|e| match e {
            LinesCodecError::Io(e) => e,
            LinesCodecError::MaxLineLengthExceeded => {
                std::io::Error::new(std::io::ErrorKind::InvalidInput, "line too long")
            }
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frames(codec: &mut FrameCodec, input: &[u8]) -> Vec<Frame> {
        let mut buf = BytesMut::from(input);
        let mut out = Vec::new();
        while let Some(frame) = codec.decode(&mut buf).unwrap() {
            out.push(frame);
        }
        if let Some(frame) = codec.decode_eof(&mut buf).unwrap() {
            out.push(frame);
        }
        out
    }

    #[test]
    fn splits_lines_and_strips_carriage_returns() {
        let mut codec = FrameCodec::new(100);
        assert_eq!(
            frames(&mut codec, b"{\"a\":1}\r\n{\"b\":2}\nlast"),
            vec![
                Frame::Line("{\"a\":1}".into()),
                Frame::Line("{\"b\":2}".into()),
                Frame::Line("last".into())
            ]
        );
    }

    #[test]
    fn oversize_and_invalid_lines_do_not_end_the_stream() {
        let mut codec = FrameCodec::new(8);
        let mut input = b"0123456789abcdef\n".to_vec();
        input.extend_from_slice(b"\xff\xfe\n");
        input.extend_from_slice(b"ok\n");
        assert_eq!(
            frames(&mut codec, &input),
            vec![Frame::TooLong, Frame::NotUtf8, Frame::Line("ok".into())]
        );
    }
}
