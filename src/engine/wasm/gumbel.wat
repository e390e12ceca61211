;; Node (engine). Gumbel noise from uniforms, four float32s at a time (gumbel.ts): the `count` float32s from
;; byte 0 (a multiple of 4), each u replaced by -log(-log(u)), u first kept within [1e-10, 1 - 1e-7]. log is
;; within a few units in the last place of float32.
;; After a change, `npm run wasm` writes gumbelWasm.ts, the compiled module.
(module
  (memory (export "memory") 0)

  ;; Each x of the `bytes` from byte `from`, kept within [low, high] (positive), replaced by -log(x):
  ;; x = 2^k m with m in [sqrt(1/2), sqrt(2)), log x = k ln 2 + log m (ln 2 in two parts), and log m =
  ;; 2 atanh(s) with s = (m - 1) / (m + 1), |s| <= 0.172, by its series to s^9.
  (func $negativeLog (param $from i32) (param $bytes i32) (param $low f32) (param $high f32)
    (local $end i32) (local $x v128) (local $k v128) (local $m v128) (local $above v128) (local $s v128)
    (local $z v128) (local $p v128) (local $kFloat v128)
    (local.set $end (i32.add (local.get $from) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $x
          (f32x4.pmin (f32x4.pmax (v128.load (local.get $from)) (f32x4.splat (local.get $low)))
            (f32x4.splat (local.get $high))))
        ;; k from the exponent's bits, m from the mantissa's with the exponent of 1.
        (local.set $k
          (i32x4.sub (i32x4.shr_u (local.get $x) (i32.const 23)) (v128.const i32x4 127 127 127 127)))
        (local.set $m
          (v128.or (v128.and (local.get $x) (v128.const i32x4 0x7fffff 0x7fffff 0x7fffff 0x7fffff))
            (v128.const i32x4 0x3f800000 0x3f800000 0x3f800000 0x3f800000)))
        ;; m above sqrt(2) is halved and k raised by one (the comparison's true is -1).
        (local.set $above (f32x4.gt (local.get $m) (v128.const f32x4 1.41421356 1.41421356 1.41421356 1.41421356)))
        (local.set $m
          (v128.bitselect (f32x4.mul (local.get $m) (v128.const f32x4 0.5 0.5 0.5 0.5)) (local.get $m)
            (local.get $above)))
        (local.set $kFloat (f32x4.convert_i32x4_s (i32x4.sub (local.get $k) (local.get $above))))
        (local.set $s
          (f32x4.div (f32x4.sub (local.get $m) (v128.const f32x4 1 1 1 1))
            (f32x4.add (local.get $m) (v128.const f32x4 1 1 1 1))))
        (local.set $z (f32x4.mul (local.get $s) (local.get $s)))
        ;; 2 atanh(s) = 2s + 2s z (1/3 + z/5 + z^2/7 + z^3/9)
        (local.set $p (v128.const f32x4 0.111111111 0.111111111 0.111111111 0.111111111))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $z))
            (v128.const f32x4 0.142857143 0.142857143 0.142857143 0.142857143)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $z)) (v128.const f32x4 0.2 0.2 0.2 0.2)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $z))
            (v128.const f32x4 0.333333333 0.333333333 0.333333333 0.333333333)))
        (local.set $s (f32x4.add (local.get $s) (local.get $s)))
        (local.set $p
          (f32x4.add (local.get $s) (f32x4.mul (f32x4.mul (local.get $s) (local.get $z)) (local.get $p))))
        (v128.store (local.get $from)
          (f32x4.neg
            (f32x4.add
              (f32x4.mul (local.get $kFloat) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375))
              (f32x4.add (local.get $p)
                (f32x4.mul (local.get $kFloat)
                  (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $each))))

  (func (export "gumbel") (param $count i32)
    (local $bytes i32)
    (local.set $bytes (i32.shl (local.get $count) (i32.const 2)))
    ;; -log(u), from 1e-7 to 23, then -log of that.
    (call $negativeLog (i32.const 0) (local.get $bytes) (f32.const 1e-10) (f32.const 0.99999988))
    (call $negativeLog (i32.const 0) (local.get $bytes) (f32.const 0) (f32.const inf))))
