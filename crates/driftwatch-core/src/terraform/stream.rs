//! The common large state read as a stream: a raw state in format version 4 as Terraform
//! writes it (`"version"` before `"resources"`). Each instance is parsed, mapped and dropped as
//! it is read, so a state of 50,000 resources is never held whole as a `serde_json::Value`
//! beside its text and its documents. Any other document, and any state with something wrong
//! in it (bad JSON, a missing key, two owners of one resource), is left to the general path
//! (`state::parse`, then `map::map`), which reads it again and says what is wrong: what a
//! state maps to, and every message about it, do not depend on which path read it. Pure.

use std::fmt;
use std::sync::mpsc::SyncSender;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde_json::{Map, Value};

use super::map::{Mapped, Mapper, Normalizer};
use super::state::{self, Instance};

/// Instances handed from the reading thread to the mapping one at a time: few enough to keep
/// little in flight, enough to make the hand-over cheap.
const BATCH: usize = 256;

/// What `text` maps to, when it is a version 4 state the stream reads whole and without
/// fault; `None` otherwise (the general path decides then, errors included).
pub fn map_v4(text: &[u8]) -> Option<Mapped> {
    map_v4_with(text, None, None)
}

/// [`map_v4`], each document also normalized by `normalize` as it is mapped when the state
/// has no related resources (see [`Mapper::normalizing`]; [`Mapped::normalized`] says), and
/// the canonical paths of sensitive values found with `canon` (see [`Mapper::with_canon`]).
pub fn map_v4_with(
    text: &[u8],
    normalize: Option<Normalizer>,
    canon: Option<Normalizer>,
) -> Option<Mapped> {
    // Valid UTF-8 up front, so nothing the general path would reject passes here unseen.
    let text = std::str::from_utf8(text).ok()?;
    let normalize = normalize.filter(|_| !super::map::may_hold_related(text));
    // One thread reads while this one maps what it has read (each about half the work).
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<Instance>>(4);
    std::thread::scope(|s| {
        let reader = s.spawn(move || read(text, tx));
        let mut mapper = match normalize {
            Some(normalize) => Mapper::normalizing(normalize),
            None => Mapper::default(),
        }
        .with_canon(canon);
        let mut mapped = true;
        for batch in rx {
            // On an error the receiver is dropped here, which stops the reader too.
            if batch.into_iter().try_for_each(|i| mapper.add(i)).is_err() {
                mapped = false;
                break;
            }
        }
        let read = reader
            .join()
            .unwrap_or_else(|p| std::panic::resume_unwind(p));
        (read && mapped).then(|| mapper.finish())
    })
}

/// Reads `text` as a version 4 state, sending its managed instances to `tx` in state order;
/// false when it is left to the general path.
fn read(text: &str, tx: SyncSender<Vec<Instance>>) -> bool {
    let mut sink = Sink {
        batch: Vec::with_capacity(BATCH),
        tx,
    };
    let mut de = serde_json::Deserializer::from_str(text);
    de.deserialize_map(Top { sink: &mut sink }).is_ok()
        && de.end().is_ok()
        && sink.tx.send(sink.batch).is_ok()
}

/// Where the reader puts each instance: batches for the mapping thread.
struct Sink {
    batch: Vec<Instance>,
    tx: SyncSender<Vec<Instance>>,
}

impl Sink {
    fn push<E: de::Error>(&mut self, i: Instance) -> Result<(), E> {
        self.batch.push(i);
        if self.batch.len() == BATCH {
            let full = std::mem::replace(&mut self.batch, Vec::with_capacity(BATCH));
            // The mapping thread stopped: it found an error.
            self.tx.send(full).map_err(|_| general())?;
        }
        Ok(())
    }
}

/// Leaves a document to the general path. Never shown: the general path reads the document
/// again and reports its own error, if there is one.
fn general<E: de::Error>() -> E {
    E::custom("left to the general path")
}

/// The state's top-level object.
struct Top<'m> {
    sink: &'m mut Sink,
}

impl<'de> Visitor<'de> for Top<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a Terraform state")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut version = false;
        let mut resources = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "version" if !version => {
                    if map.next_value::<Value>()?.as_u64() != Some(4) {
                        return Err(general());
                    }
                    version = true;
                }
                "resources" if version && !resources => {
                    map.next_value_seed(Resources {
                        sink: &mut *self.sink,
                    })?;
                    resources = true;
                }
                "version" | "resources" | "format_version" => return Err(general()),
                // Read as the general path reads them, limits included, then dropped.
                _ => drop(map.next_value::<Value>()?),
            }
        }
        if resources {
            Ok(())
        } else {
            Err(general())
        }
    }
}

/// `"resources": [...]`.
struct Resources<'m> {
    sink: &'m mut Sink,
}

impl<'de> DeserializeSeed<'de> for Resources<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Resources<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of resources")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while seq
            .next_element_seed(Resource {
                sink: &mut *self.sink,
            })?
            .is_some()
        {}
        Ok(())
    }
}

/// One resource: its instances are mapped as they are read when its mode, type, name and
/// module come first (as Terraform writes them); any of those after `"instances"` leaves the
/// state to the general path.
struct Resource<'m> {
    sink: &'m mut Sink,
}

impl<'de> DeserializeSeed<'de> for Resource<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for Resource<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a resource")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        let mut head = Map::new();
        let mut instances = false;
        while let Some(key) = map.next_key::<String>()? {
            match key.as_str() {
                "mode" | "type" | "name" | "module" | "instances" if instances => {
                    return Err(general())
                }
                "mode" | "type" | "name" | "module" => {
                    head.insert(key, map.next_value()?);
                }
                "instances" => {
                    instances = true;
                    let head = Value::Object(std::mem::take(&mut head));
                    if head.get("mode").and_then(Value::as_str) != Some("managed") {
                        drop(map.next_value::<Value>()?);
                        continue;
                    }
                    map.next_value_seed(Instances {
                        sink: &mut *self.sink,
                        base: state::v4_base(&head),
                        r#type: head["type"].as_str().unwrap_or_default(),
                    })?;
                }
                _ => drop(map.next_value::<Value>()?),
            }
        }
        Ok(())
    }
}

/// A managed resource's `"instances": [...]`, each mapped as soon as it is read.
struct Instances<'m, 't> {
    sink: &'m mut Sink,
    base: String,
    r#type: &'t str,
}

impl<'de> DeserializeSeed<'de> for Instances<'_, '_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_seq(self)
    }
}

impl<'de> Visitor<'de> for Instances<'_, '_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a list of instances")
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        while let Some(i) = seq.next_element::<Value>()? {
            let instance = state::v4_instance(&self.base, self.r#type, i).map_err(|_| general())?;
            self.sink.push(instance)?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests;
