//! The crate's one error enum. Every variant has a stable machine code.

/// Building or parsing an AccessToken2 failed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The app id is not 32 hexadecimal characters.
    #[error("the app id must be 32 hexadecimal characters")]
    InvalidAppId,
    /// The app certificate is not 32 hexadecimal characters.
    #[error("the app certificate must be 32 hexadecimal characters")]
    InvalidAppCertificate,
    /// The token to build has no service.
    #[error("a token needs at least one service")]
    NoServices,
    /// A string or list is longer than its 16-bit length prefix can express.
    #[error("{field} is longer than 65535 bytes or entries")]
    FieldTooLong {
        /// The offending field.
        field: &'static str,
    },
    /// Compressing the payload failed.
    #[error("compressing the token payload failed")]
    CompressFailed,
    /// The token text is longer than any real token.
    #[error("the token is {len} bytes long, more than the {max} allowed")]
    TokenTooLong {
        /// Length of the rejected token text.
        len: usize,
        /// The limit.
        max: usize,
    },
    /// The token does not start with the "007" version prefix.
    #[error("the token is not an AccessToken2 (\"007\") token")]
    UnsupportedVersion,
    /// The text after the version prefix is not standard base64.
    #[error("the token is not valid base64")]
    InvalidBase64,
    /// The decoded bytes are not a valid zlib stream.
    #[error("the token payload is not a valid zlib stream")]
    InvalidZlib,
    /// Bytes follow the end of the zlib stream.
    #[error("unexpected bytes after the compressed token payload")]
    TrailingData,
    /// The payload inflates to more than the allowed size.
    #[error("the token payload inflates to more than {max} bytes")]
    PayloadTooLarge {
        /// The limit.
        max: usize,
    },
    /// The payload ends in the middle of a field.
    #[error("the token payload ends inside {field}")]
    Truncated {
        /// The field being read.
        field: &'static str,
    },
    /// A text field is not UTF-8.
    #[error("{field} is not valid UTF-8")]
    InvalidUtf8 {
        /// The offending field.
        field: &'static str,
    },
    /// A service lists the same privilege twice.
    #[error("privilege {privilege} appears twice in one service")]
    DuplicatePrivilege {
        /// The repeated privilege number.
        privilege: u16,
    },
}

impl TokenError {
    /// A stable snake_case code for logs, metrics and API errors.
    pub fn code(&self) -> &'static str {
        match self {
            Self::InvalidAppId => "invalid_app_id",
            Self::InvalidAppCertificate => "invalid_app_certificate",
            Self::NoServices => "no_services",
            Self::FieldTooLong { .. } => "field_too_long",
            Self::CompressFailed => "compress_failed",
            Self::TokenTooLong { .. } => "token_too_long",
            Self::UnsupportedVersion => "unsupported_version",
            Self::InvalidBase64 => "invalid_base64",
            Self::InvalidZlib => "invalid_zlib",
            Self::TrailingData => "trailing_data",
            Self::PayloadTooLarge { .. } => "payload_too_large",
            Self::Truncated { .. } => "truncated",
            Self::InvalidUtf8 { .. } => "invalid_utf8",
            Self::DuplicatePrivilege { .. } => "duplicate_privilege",
        }
    }
}
