// `question_mark.rs` with asyncgen's macros expanded. Generated: do not edit; regenerate with
// `EXPAND=overwrite cargo test -p asyncgen-macros expand`.

//! `?` in a generator of `Result`s: the error is yielded as the last item, then it ends.
use asyncgen::{async_gen, yield_};
/// Each line parsed as a number, up to the first that is not one.
pub fn parse_all(
    lines: Vec<&'static str>,
) -> impl ::asyncgen::FusedStream<Item = Result<u32, std::num::ParseIntError>> + ::asyncgen::Close {
    ::asyncgen::__private::async_gen::<Result<u32, std::num::ParseIntError>, _>(
        async move |mut __yielder| {
            let lines = lines;
            for line in lines {
                let n: u32 = ('__question_mark1: {
                    let __residual = match ::asyncgen::bounds::branch(line.trim().parse()) {
                        ::asyncgen::__private::ControlFlow::Continue(__value) => {
                            break '__question_mark1 __value;
                        }
                        ::asyncgen::__private::ControlFlow::Break(__residual) => __residual,
                    };
                    __yielder
                        .suspend(::asyncgen::bounds::FromResidual::from_residual(__residual))
                        .await;
                    return;
                });
                yield_!(
                    @ lowered __yielder : Result < u32, std::num::ParseIntError >, Ok(n)
                );
            }
        },
    )
}
