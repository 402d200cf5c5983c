use asyncgen::yield_;

fn main() {
    yield_!(1);
}
