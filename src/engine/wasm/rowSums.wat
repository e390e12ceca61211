;; Node (engine). Sums of listed rows, four float32s at a time (rowSums.ts): to output row i, as it is in
;; memory, are added the source rows listed in indices[starts[i]] .. indices[starts[i + 1] - 1], in that
;; order. Rows are `width` float32s, a multiple of 4. Addresses are byte offsets into the memory, which the
;; caller lays out.
;; After a change, `npm run wasm` writes rowSumsWasm.ts, the compiled module.
(module
  (memory (export "memory") 0)
  (func (export "sumListedRows")
    (param $source i32) (param $width i32) (param $indices i32) (param $starts i32) (param $rows i32)
    (param $sums i32)
    (local $rowBytes i32) (local $row i32) (local $first i32) (local $end i32) (local $at i32)
    (local $column i32) (local $sum v128)
    (local.set $rowBytes (i32.shl (local.get $width) (i32.const 2)))
    (block $done
      (loop $eachRow
        (br_if $done (i32.ge_u (local.get $row) (local.get $rows)))
        ;; This row's list, as byte offsets into `indices`.
        (local.set $first
          (i32.add (local.get $indices)
            (i32.shl (i32.load (i32.add (local.get $starts) (i32.shl (local.get $row) (i32.const 2))))
              (i32.const 2))))
        (local.set $end
          (i32.add (local.get $indices)
            (i32.shl (i32.load offset=4 (i32.add (local.get $starts) (i32.shl (local.get $row) (i32.const 2))))
              (i32.const 2))))
        (local.set $column (i32.const 0))
        (block $rowDone
          (loop $eachColumn
            (br_if $rowDone (i32.ge_u (local.get $column) (local.get $rowBytes)))
            (local.set $sum
              (v128.load
                (i32.add (i32.add (local.get $sums) (i32.mul (local.get $row) (local.get $rowBytes)))
                  (local.get $column))))
            (local.set $at (local.get $first))
            (block $listDone
              (loop $eachListed
                (br_if $listDone (i32.ge_u (local.get $at) (local.get $end)))
                (local.set $sum
                  (f32x4.add (local.get $sum)
                    (v128.load
                      (i32.add (i32.add (local.get $source) (local.get $column))
                        (i32.mul (i32.load (local.get $at)) (local.get $rowBytes))))))
                (local.set $at (i32.add (local.get $at) (i32.const 4)))
                (br $eachListed)))
            (v128.store
              (i32.add (i32.add (local.get $sums) (i32.mul (local.get $row) (local.get $rowBytes)))
                (local.get $column))
              (local.get $sum))
            (local.set $column (i32.add (local.get $column) (i32.const 16)))
            (br $eachColumn)))
        (local.set $row (i32.add (local.get $row) (i32.const 1)))
        (br $eachRow)))))
