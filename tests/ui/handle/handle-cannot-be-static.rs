use std::sync::Mutex;

use asyncgen::__private::{Yielder, async_gen};

static KEPT: Mutex<Option<Yielder<'static, u32>>> = Mutex::new(None);

fn main() {
    let _stream = async_gen::<u32, _>(async |yielder| {
        *KEPT.lock().unwrap() = Some(yielder);
    });
}
