//! Writing JSON through serde without serde_json's writer: the submission and
//! the remembered answers are the only JSON the widget writes, and serde_json's
//! generic writer, inlined for every type, cost the form about 6 KB gzip. This
//! one has a single output (a `String`), no formatter and no I/O errors.
//!
//! It writes what `serde_json::to_string` writes, except floats, which the
//! widget never writes (their printing would bring float formatting into the
//! bundle): a float is an error, never a wrong value.

use std::fmt;

use serde::ser::{self, Serialize};

/// `value` as compact JSON; `None` when it holds something JSON cannot say
/// (a float, a map whose keys are not strings).
pub fn to_string<T: Serialize + ?Sized>(value: &T) -> Option<String> {
    let mut writer = Writer { out: String::new() };
    value.serialize(&mut writer).ok()?;
    Some(writer.out)
}

/// Why a value could not be written.
#[derive(Debug)]
pub struct Unwritable;

impl fmt::Display for Unwritable {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("not writable as JSON here")
    }
}

impl std::error::Error for Unwritable {}

impl ser::Error for Unwritable {
    fn custom<T: fmt::Display>(_: T) -> Self {
        Unwritable
    }
}

struct Writer {
    out: String,
}

impl Writer {
    // Not inlined: one copy of each of these is smaller than one per field.
    #[inline(never)]
    fn string(&mut self, s: &str) {
        self.out.push('"');
        for c in s.chars() {
            match c {
                '"' => self.out.push_str("\\\""),
                '\\' => self.out.push_str("\\\\"),
                '\n' => self.out.push_str("\\n"),
                '\r' => self.out.push_str("\\r"),
                '\t' => self.out.push_str("\\t"),
                '\u{8}' => self.out.push_str("\\b"),
                '\u{c}' => self.out.push_str("\\f"),
                c if u32::from(c) < 0x20 => {
                    const HEX: &[u8; 16] = b"0123456789abcdef";
                    let n = u32::from(c) as usize;
                    self.out.push_str("\\u00");
                    self.out.push(char::from(HEX[n >> 4]));
                    self.out.push(char::from(HEX[n & 15]));
                }
                c => self.out.push(c),
            }
        }
        self.out.push('"');
    }

    fn integer(&mut self, n: impl fmt::Display) {
        use fmt::Write as _;
        let _ = write!(self.out, "{n}");
    }

    /// `{"variant":` before a variant's content; [`Compound::end`] closes it.
    fn open_variant(&mut self, variant: &str) {
        self.out.push('{');
        self.string(variant);
        self.out.push(':');
    }
}

/// An array or object being written: whether an item was written yet, and
/// whether a variant's `{"name":` wrapper must be closed at the end.
struct Compound<'a> {
    writer: &'a mut Writer,
    first: bool,
    in_variant: bool,
}

impl Compound<'_> {
    #[inline(never)]
    fn comma(&mut self) {
        if !std::mem::take(&mut self.first) {
            self.writer.out.push(',');
        }
    }

    fn item<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        self.comma();
        value.serialize(&mut *self.writer)
    }

    #[inline(never)]
    fn key(&mut self, key: &str) {
        self.comma();
        self.writer.string(key);
        self.writer.out.push(':');
    }

    fn field<T: Serialize + ?Sized>(&mut self, key: &str, value: &T) -> Result<(), Unwritable> {
        self.key(key);
        value.serialize(&mut *self.writer)
    }

    fn close(self, close: char) -> Result<(), Unwritable> {
        self.writer.out.push(close);
        if self.in_variant {
            self.writer.out.push('}');
        }
        Ok(())
    }
}

fn compound(writer: &mut Writer, open: char, in_variant: bool) -> Compound<'_> {
    writer.out.push(open);
    Compound {
        writer,
        first: true,
        in_variant,
    }
}

impl<'a> ser::Serializer for &'a mut Writer {
    type Ok = ();
    type Error = Unwritable;
    type SerializeSeq = Compound<'a>;
    type SerializeTuple = Compound<'a>;
    type SerializeTupleStruct = Compound<'a>;
    type SerializeTupleVariant = Compound<'a>;
    type SerializeMap = Compound<'a>;
    type SerializeStruct = Compound<'a>;
    type SerializeStructVariant = Compound<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Unwritable> {
        self.out.push_str(if v { "true" } else { "false" });
        Ok(())
    }
    fn serialize_i8(self, v: i8) -> Result<(), Unwritable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i16(self, v: i16) -> Result<(), Unwritable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i32(self, v: i32) -> Result<(), Unwritable> {
        self.serialize_i64(i64::from(v))
    }
    fn serialize_i64(self, v: i64) -> Result<(), Unwritable> {
        self.integer(v);
        Ok(())
    }
    fn serialize_u8(self, v: u8) -> Result<(), Unwritable> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u16(self, v: u16) -> Result<(), Unwritable> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u32(self, v: u32) -> Result<(), Unwritable> {
        self.serialize_u64(u64::from(v))
    }
    fn serialize_u64(self, v: u64) -> Result<(), Unwritable> {
        self.integer(v);
        Ok(())
    }
    fn serialize_f32(self, _: f32) -> Result<(), Unwritable> {
        Err(Unwritable)
    }
    fn serialize_f64(self, _: f64) -> Result<(), Unwritable> {
        Err(Unwritable)
    }
    fn serialize_char(self, v: char) -> Result<(), Unwritable> {
        self.string(v.encode_utf8(&mut [0; 4]));
        Ok(())
    }
    fn serialize_str(self, v: &str) -> Result<(), Unwritable> {
        self.string(v);
        Ok(())
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Unwritable> {
        let mut seq = compound(self, '[', false);
        for b in v {
            seq.item(b)?;
        }
        seq.close(']')
    }
    fn serialize_none(self) -> Result<(), Unwritable> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Unwritable> {
        self.out.push_str("null");
        Ok(())
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Unwritable> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
    ) -> Result<(), Unwritable> {
        self.string(variant);
        Ok(())
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Unwritable> {
        self.open_variant(variant);
        value.serialize(&mut *self)?;
        self.out.push('}');
        Ok(())
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(compound(self, '[', false))
    }
    fn serialize_tuple(self, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(compound(self, '[', false))
    }
    fn serialize_tuple_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(compound(self, '[', false))
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.open_variant(variant);
        Ok(compound(self, '[', true))
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Compound<'a>, Unwritable> {
        Ok(compound(self, '{', false))
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Compound<'a>, Unwritable> {
        Ok(compound(self, '{', false))
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        variant: &'static str,
        _: usize,
    ) -> Result<Compound<'a>, Unwritable> {
        self.open_variant(variant);
        Ok(compound(self, '{', true))
    }
}

/// The four kinds of array serde knows, written alike.
macro_rules! array {
    ($($kind:ident :: $method:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
                self.item(value)
            }
            fn end(self) -> Result<(), Unwritable> {
                Compound::close(self, ']')
            }
        }
    )*};
}

array!(
    SerializeSeq::serialize_element,
    SerializeTuple::serialize_element,
    SerializeTupleStruct::serialize_field,
    SerializeTupleVariant::serialize_field
);

impl ser::SerializeMap for Compound<'_> {
    type Ok = ();
    type Error = Unwritable;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Unwritable> {
        self.comma();
        let start = self.writer.out.len();
        key.serialize(&mut *self.writer)?;
        // JSON keys are strings: anything else is not written.
        if self.writer.out[start..].starts_with('"') {
            self.writer.out.push(':');
            Ok(())
        } else {
            Err(Unwritable)
        }
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Unwritable> {
        value.serialize(&mut *self.writer)
    }
    fn end(self) -> Result<(), Unwritable> {
        Compound::close(self, '}')
    }
}

/// Objects with fixed keys, a struct's or a struct variant's.
macro_rules! object {
    ($($kind:ident),*) => {$(
        impl ser::$kind for Compound<'_> {
            type Ok = ();
            type Error = Unwritable;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Unwritable> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Unwritable> {
                Compound::close(self, '}')
            }
        }
    )*};
}

object!(SerializeStruct, SerializeStructVariant);

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use serde::Serialize;

    use super::to_string;

    /// What serde_json writes for `value`, and what this writer writes, are
    /// the same text.
    fn same<T: Serialize>(value: &T) {
        let ours = to_string(value).expect("writable");
        assert_eq!(ours, serde_json::to_string(value).expect("serde_json"));
    }

    #[derive(Serialize)]
    enum Shape {
        Unit,
        New(u8),
        Pair(i32, String),
        Named { a: bool, b: Option<u16> },
    }

    #[derive(Serialize)]
    #[serde(tag = "kind", rename_all = "snake_case")]
    enum Tagged {
        SelfPay,
        Insured { member: String },
    }

    #[derive(Serialize)]
    struct Unit;

    #[derive(Serialize)]
    struct Wrapper(u64);

    #[test]
    fn writes_what_serde_json_writes() {
        same(&"plain");
        same(&"quote \" backslash \\ slash / tab\tline\ncr\r bell\u{7} nul\u{0} unit\u{1f} é 😀 \u{2028}");
        same(&'"');
        same(&(true, false, (), Unit, Wrapper(u64::MAX)));
        same(&(
            i8::MIN,
            i16::MIN,
            i32::MIN,
            i64::MIN,
            u8::MAX,
            u16::MAX,
            u32::MAX,
        ));
        same(&vec![
            Shape::Unit,
            Shape::New(7),
            Shape::Pair(-1, "x".into()),
        ]);
        same(&Shape::Named { a: true, b: None });
        same(&Shape::Named {
            a: false,
            b: Some(3),
        });
        same(&vec![
            Tagged::SelfPay,
            Tagged::Insured {
                member: "A1".into(),
            },
        ]);
        same(&Vec::<String>::new());
        same(&Some(vec![Some(1u8), None]));
        let mut map = BTreeMap::new();
        map.insert("b", vec![1u8]);
        map.insert("a", vec![]);
        same(&map);
    }

    #[test]
    fn refuses_what_json_cannot_say_here() {
        assert_eq!(to_string(&1.5f64), None);
        assert_eq!(to_string(&vec![1.0f32]), None);
        let mut numbered = BTreeMap::new();
        numbered.insert(1u8, "one");
        assert_eq!(to_string(&numbered), None);
    }

    #[test]
    fn the_documented_submission_and_a_draft_are_written_as_serde_json_writes_them() {
        let example = include_str!("../docs/example-submission.json");
        let submission: intake_core::Submission =
            serde_json::from_str(example).expect("the documented example reads");
        same(&submission);
        let draft = intake_core::IntakeDraft {
            given_name: "Ana \"Nana\"".into(),
            medications: vec![intake_core::MedicationDraft {
                name: "Ibuprofen".into(),
                dose: "200 mg\ttwice".into(),
            }],
            pain: vec![
                intake_core::PainDraft {
                    region: "back_lower_left".into(),
                    intensity: Some(7),
                },
                intake_core::PainDraft {
                    region: "front_neck".into(),
                    intensity: None,
                },
            ],
            photo: Some(intake_core::PhotoDraft {
                mime_type: "image/jpeg".into(),
                data_base64: "/9j/4AAQ".into(),
            }),
            ..intake_core::IntakeDraft::default()
        };
        same(&draft);
        // As the remembered answers are kept (`intake::remember`).
        #[derive(Serialize)]
        struct Remembered<'a> {
            saved_at: u64,
            draft: &'a intake_core::IntakeDraft,
        }
        same(&Remembered {
            saved_at: 1_764_000_000_000,
            draft: &draft,
        });
    }
}
