// A handle for `&'static str` items must not turn into one for shorter-lived strings: the
// body could then yield a borrow of its own local and the consumer would receive a dangling
// `&'static str`. The handle is invariant in its item type, so this does not compile.
use asyncgen::__private::Yielder;

fn shorten<'y, 'short>(yielder: Yielder<'y, &'static str>) -> Yielder<'y, &'short str> {
    yielder
}

fn main() {}
