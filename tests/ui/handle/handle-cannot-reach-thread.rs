use asyncgen::__private::async_gen;

fn main() {
    let _stream = async_gen::<u32, _>(async |mut yielder| {
        std::thread::spawn(move || {
            let _ = yielder.yield_(1);
        });
    });
}
