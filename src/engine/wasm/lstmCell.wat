;; Node (engine). An LSTM cell's activations, four float32s at a time (lstmCell.ts). The memory holds arrays
;; of `count` float32s (a multiple of 4), array k from byte k * count * 4:
;;   in:      0 i, 1 f, 2 g, 3 o, the gates' input projections, then 4 the previous cell state c, and 12 i,
;;            13 f, 14 g, 15 o, their recurrent projections, which are added to the first (the gates'
;;            pre-activations);
;;   out:     5 h, 6 c, 7 i, 8 f, 9 g, 10 o, 11 tanh(c) (the activations a backward pass needs);
;;   scratch: 12 to 15 once added, e to the minus magnitude of each value activated.
;; sigmoid and tanh are built from e^-|x|, which never overflows, and are within a few units in the last place
;; of float32. Each part of the work is a loop over whole arrays: a call a value would cost more than the
;; arithmetic.
;; After a change, `npm run wasm` writes lstmCellWasm.ts, the compiled module.
(module
  (memory (export "memory") 0)

  ;; For each value x of the `bytes` from byte `from`, e^(-scale |x|), written `to` bytes further on: 2^n p(r)
  ;; with n = round(-scale |x| / ln 2) and r = -scale |x| - n ln 2 (ln 2 in two parts, so that r is exact),
  ;; p the Taylor polynomial of degree 7 on |r| <= ln 2 / 2. The exponent is clamped at -86 (e^-86 is 4e-38),
  ;; below which 2^n would leave float32's normal numbers.
  (func $expOfMinusMagnitude (param $from i32) (param $bytes i32) (param $to i32) (param $scale f32)
    (local $end i32) (local $x v128) (local $n v128) (local $twoToN v128) (local $r v128) (local $p v128)
    (local.set $end (i32.add (local.get $from) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $x
          (f32x4.pmax
            (f32x4.mul (f32x4.abs (v128.load (local.get $from))) (f32x4.splat (f32.neg (local.get $scale))))
            (v128.const f32x4 -86 -86 -86 -86)))
        ;; n rounded by adding 1.5 * 2^23 + 127, whose float32 keeps no fraction and has n + 127, 2^n's
        ;; exponent bits, in its lowest bits.
        (local.set $n
          (f32x4.add (f32x4.mul (local.get $x) (v128.const f32x4 1.442695 1.442695 1.442695 1.442695))
            (v128.const f32x4 12583039 12583039 12583039 12583039)))
        (local.set $twoToN (i32x4.shl (local.get $n) (i32.const 23)))
        (local.set $n (f32x4.sub (local.get $n) (v128.const f32x4 12583039 12583039 12583039 12583039)))
        (local.set $r
          (f32x4.sub
            (f32x4.sub (local.get $x)
              (f32x4.mul (local.get $n) (v128.const f32x4 0.693359375 0.693359375 0.693359375 0.693359375)))
            (f32x4.mul (local.get $n)
              (v128.const f32x4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4 -2.12194440e-4))))
        (local.set $p (v128.const f32x4 1.98412698e-4 1.98412698e-4 1.98412698e-4 1.98412698e-4))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
            (v128.const f32x4 1.38888889e-3 1.38888889e-3 1.38888889e-3 1.38888889e-3)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
            (v128.const f32x4 8.33333333e-3 8.33333333e-3 8.33333333e-3 8.33333333e-3)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
            (v128.const f32x4 4.16666667e-2 4.16666667e-2 4.16666667e-2 4.16666667e-2)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $r))
            (v128.const f32x4 0.166666667 0.166666667 0.166666667 0.166666667)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 0.5 0.5 0.5 0.5)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $r)) (v128.const f32x4 1 1 1 1)))
        (v128.store (i32.add (local.get $from) (local.get $to)) (f32x4.mul (local.get $p) (local.get $twoToN)))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $each))))

  ;; For each x of the `bytes` from byte `from`, with e = e^-|x| `exps` bytes further on, sigmoid(x) written
  ;; `to` bytes further on: 1 / (1 + e) for x >= 0, e / (1 + e) below.
  (func $sigmoid (param $from i32) (param $bytes i32) (param $exps i32) (param $to i32)
    (local $end i32) (local $e v128) (local $s v128)
    (local.set $end (i32.add (local.get $from) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $e (v128.load (i32.add (local.get $from) (local.get $exps))))
        (local.set $s
          (f32x4.div (v128.const f32x4 1 1 1 1) (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $e))))
        (v128.store (i32.add (local.get $from) (local.get $to))
          (v128.bitselect (local.get $s) (f32x4.mul (local.get $e) (local.get $s))
            (f32x4.ge (v128.load (local.get $from)) (v128.const f32x4 0 0 0 0))))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $each))))

  ;; As $sigmoid, with e = e^-2|x|: tanh(x) = (1 - e) / (1 + e) with the sign of x, and below |x| = 1/4,
  ;; where the difference would lose digits, tanh's Taylor polynomial of degree 9.
  (func $tanh (param $from i32) (param $bytes i32) (param $exps i32) (param $to i32)
    (local $end i32) (local $x v128) (local $e v128) (local $xx v128) (local $p v128)
    (local.set $end (i32.add (local.get $from) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $from) (local.get $end)))
        (local.set $x (v128.load (local.get $from)))
        (local.set $e (v128.load (i32.add (local.get $from) (local.get $exps))))
        (local.set $xx (f32x4.mul (local.get $x) (local.get $x)))
        (local.set $p (v128.const f32x4 2.18694885e-2 2.18694885e-2 2.18694885e-2 2.18694885e-2))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $xx))
            (v128.const f32x4 -5.39682540e-2 -5.39682540e-2 -5.39682540e-2 -5.39682540e-2)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $xx))
            (v128.const f32x4 0.133333333 0.133333333 0.133333333 0.133333333)))
        (local.set $p
          (f32x4.add (f32x4.mul (local.get $p) (local.get $xx))
            (v128.const f32x4 -0.333333333 -0.333333333 -0.333333333 -0.333333333)))
        (local.set $p (f32x4.add (f32x4.mul (local.get $p) (local.get $xx)) (v128.const f32x4 1 1 1 1)))
        (v128.store (i32.add (local.get $from) (local.get $to))
          (v128.bitselect
            (f32x4.mul (local.get $p) (local.get $x))
            (v128.or
              (f32x4.div (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $e))
                (f32x4.add (v128.const f32x4 1 1 1 1) (local.get $e)))
              (v128.and (local.get $x) (v128.const i32x4 0x80000000 0x80000000 0x80000000 0x80000000)))
            (f32x4.lt (f32x4.abs (local.get $x)) (v128.const f32x4 0.25 0.25 0.25 0.25))))
        (local.set $from (i32.add (local.get $from) (i32.const 16)))
        (br $each))))

  ;; out = a b + (out if `accumulate`), element by element over `bytes`.
  (func $multiply (param $a i32) (param $b i32) (param $out i32) (param $bytes i32) (param $accumulate i32)
    (local $end i32) (local $product v128)
    (local.set $end (i32.add (local.get $a) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (local.set $product (f32x4.mul (v128.load (local.get $a)) (v128.load (local.get $b))))
        (if (local.get $accumulate)
          (then (local.set $product (f32x4.add (v128.load (local.get $out)) (local.get $product)))))
        (v128.store (local.get $out) (local.get $product))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $each))))

  ;; out = a + b, element by element over `bytes`.
  (func $add (param $a i32) (param $b i32) (param $out i32) (param $bytes i32)
    (local $end i32)
    (local.set $end (i32.add (local.get $a) (local.get $bytes)))
    (block $done
      (loop $each
        (br_if $done (i32.ge_u (local.get $a) (local.get $end)))
        (v128.store (local.get $out) (f32x4.add (v128.load (local.get $a)) (v128.load (local.get $b))))
        (local.set $a (i32.add (local.get $a) (i32.const 16)))
        (local.set $b (i32.add (local.get $b) (i32.const 16)))
        (local.set $out (i32.add (local.get $out) (i32.const 16)))
        (br $each))))

  (func (export "cell") (param $count i32)
    (local $array i32) (local $toScratch i32) (local $toOutputs i32)
    (local.set $array (i32.shl (local.get $count) (i32.const 2)))
    (local.set $toScratch (i32.mul (local.get $array) (i32.const 12)))
    (local.set $toOutputs (i32.mul (local.get $array) (i32.const 7)))
    ;; The pre-activations: input plus recurrent projections, as TensorFlow.js's add rounds them.
    (call $add (i32.const 0) (local.get $toScratch) (i32.const 0) (i32.mul (local.get $array) (i32.const 4)))
    ;; i, f and o by sigmoid, g by tanh.
    (call $expOfMinusMagnitude (i32.const 0) (i32.mul (local.get $array) (i32.const 2)) (local.get $toScratch)
      (f32.const 1))
    (call $expOfMinusMagnitude (i32.mul (local.get $array) (i32.const 2)) (local.get $array)
      (local.get $toScratch) (f32.const 2))
    (call $expOfMinusMagnitude (i32.mul (local.get $array) (i32.const 3)) (local.get $array)
      (local.get $toScratch) (f32.const 1))
    (call $sigmoid (i32.const 0) (i32.mul (local.get $array) (i32.const 2)) (local.get $toScratch)
      (local.get $toOutputs))
    (call $tanh (i32.mul (local.get $array) (i32.const 2)) (local.get $array) (local.get $toScratch)
      (local.get $toOutputs))
    (call $sigmoid (i32.mul (local.get $array) (i32.const 3)) (local.get $array) (local.get $toScratch)
      (local.get $toOutputs))
    ;; c = f c_prev + i g, as TensorFlow.js's ops round it.
    (call $multiply (i32.mul (local.get $array) (i32.const 8)) (i32.mul (local.get $array) (i32.const 4))
      (i32.mul (local.get $array) (i32.const 6)) (local.get $array) (i32.const 0))
    (call $multiply (i32.mul (local.get $array) (i32.const 7)) (i32.mul (local.get $array) (i32.const 9))
      (i32.mul (local.get $array) (i32.const 6)) (local.get $array) (i32.const 1))
    ;; tanh(c), its e in scratch array 12.
    (call $expOfMinusMagnitude (i32.mul (local.get $array) (i32.const 6)) (local.get $array)
      (i32.mul (local.get $array) (i32.const 6)) (f32.const 2))
    (call $tanh (i32.mul (local.get $array) (i32.const 6)) (local.get $array)
      (i32.mul (local.get $array) (i32.const 6)) (i32.mul (local.get $array) (i32.const 5)))
    ;; h = o tanh(c)
    (call $multiply (i32.mul (local.get $array) (i32.const 10)) (i32.mul (local.get $array) (i32.const 11))
      (i32.mul (local.get $array) (i32.const 5)) (local.get $array) (i32.const 0))))
