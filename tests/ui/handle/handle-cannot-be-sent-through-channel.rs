// A channel from outside the body would carry the handle out of it: the receiver could use it
// after the generator is gone.
use std::sync::mpsc;

use asyncgen::__private::async_gen;

fn main() {
    let (sender, receiver) = mpsc::channel();
    let stream = async_gen::<u32, _>(async move |yielder| {
        sender.send(yielder).unwrap();
    });
    drop(stream);
    let _late = receiver.recv();
}
