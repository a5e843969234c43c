;; The inner loops of the sparse kernels (models/kernels/sparse.ts) as 128-bit SIMD: four float32 lanes per
;; instruction. Pointers are byte offsets into this module's memory; n counts float32 elements. Each function
;; handles the n mod 4 tail with scalar code. Assembled into simd-bytes.ts by scripts/build-wasm.ts.
(module
  (memory (export "memory") 1)

  ;; out[i] += a0·w0[i] + a1·w1[i] + a2·w2[i] + a3·w3[i]
  (func (export "axpy4")
    (param $out i32) (param $w0 i32) (param $w1 i32) (param $w2 i32) (param $w3 i32)
    (param $a0 f32) (param $a1 f32) (param $a2 f32) (param $a3 f32) (param $n i32)
    (local $i i32) (local $end i32) (local $p i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128)
    (local.set $v0 (f32x4.splat (local.get $a0)))
    (local.set $v1 (f32x4.splat (local.get $a1)))
    (local.set $v2 (f32x4.splat (local.get $a2)))
    (local.set $v3 (f32x4.splat (local.get $a3)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $out) (local.get $i)))
        (v128.store (local.get $p)
          (f32x4.add (v128.load (local.get $p))
            (f32x4.add
              (f32x4.add
                (f32x4.mul (local.get $v0) (v128.load (i32.add (local.get $w0) (local.get $i))))
                (f32x4.mul (local.get $v1) (v128.load (i32.add (local.get $w1) (local.get $i)))))
              (f32x4.add
                (f32x4.mul (local.get $v2) (v128.load (i32.add (local.get $w2) (local.get $i))))
                (f32x4.mul (local.get $v3) (v128.load (i32.add (local.get $w3) (local.get $i))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $out) (local.get $i)))
        (f32.store (local.get $p)
          (f32.add (f32.load (local.get $p))
            (f32.add
              (f32.add
                (f32.mul (local.get $a0) (f32.load (i32.add (local.get $w0) (local.get $i))))
                (f32.mul (local.get $a1) (f32.load (i32.add (local.get $w1) (local.get $i)))))
              (f32.add
                (f32.mul (local.get $a2) (f32.load (i32.add (local.get $w2) (local.get $i))))
                (f32.mul (local.get $a3) (f32.load (i32.add (local.get $w3) (local.get $i))))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))))

  ;; out[i] += a·w[i]
  (func (export "axpy1") (param $out i32) (param $w i32) (param $a f32) (param $n i32)
    (local $i i32) (local $end i32) (local $p i32) (local $v v128)
    (local.set $v (f32x4.splat (local.get $a)))
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $out) (local.get $i)))
        (v128.store (local.get $p)
          (f32x4.add (v128.load (local.get $p)) (f32x4.mul (local.get $v) (v128.load (i32.add (local.get $w) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $p (i32.add (local.get $out) (local.get $i)))
        (f32.store (local.get $p)
          (f32.add (f32.load (local.get $p)) (f32.mul (local.get $a) (f32.load (i32.add (local.get $w) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next))))

  ;; res[k] = Σ_i wk[i]·d[i] for k = 0..3 (four float32 results written at res)
  (func (export "dot4")
    (param $d i32) (param $w0 i32) (param $w1 i32) (param $w2 i32) (param $w3 i32) (param $n i32) (param $res i32)
    (local $i i32) (local $end i32) (local $x v128)
    (local $s0 v128) (local $s1 v128) (local $s2 v128) (local $s3 v128)
    (local $t0 f32) (local $t1 f32) (local $t2 f32) (local $t3 f32) (local $dv f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $x (v128.load (i32.add (local.get $d) (local.get $i))))
        (local.set $s0 (f32x4.add (local.get $s0) (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $w0) (local.get $i))))))
        (local.set $s1 (f32x4.add (local.get $s1) (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $w1) (local.get $i))))))
        (local.set $s2 (f32x4.add (local.get $s2) (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $w2) (local.get $i))))))
        (local.set $s3 (f32x4.add (local.get $s3) (f32x4.mul (local.get $x) (v128.load (i32.add (local.get $w3) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $dv (f32.load (i32.add (local.get $d) (local.get $i))))
        (local.set $t0 (f32.add (local.get $t0) (f32.mul (local.get $dv) (f32.load (i32.add (local.get $w0) (local.get $i))))))
        (local.set $t1 (f32.add (local.get $t1) (f32.mul (local.get $dv) (f32.load (i32.add (local.get $w1) (local.get $i))))))
        (local.set $t2 (f32.add (local.get $t2) (f32.mul (local.get $dv) (f32.load (i32.add (local.get $w2) (local.get $i))))))
        (local.set $t3 (f32.add (local.get $t3) (f32.mul (local.get $dv) (f32.load (i32.add (local.get $w3) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (f32.store (local.get $res) (f32.add (local.get $t0) (call $hsum (local.get $s0))))
    (f32.store offset=4 (local.get $res) (f32.add (local.get $t1) (call $hsum (local.get $s1))))
    (f32.store offset=8 (local.get $res) (f32.add (local.get $t2) (call $hsum (local.get $s2))))
    (f32.store offset=12 (local.get $res) (f32.add (local.get $t3) (call $hsum (local.get $s3)))))

  ;; Σ_i w[i]·d[i]
  (func (export "dot1") (param $d i32) (param $w i32) (param $n i32) (result f32)
    (local $i i32) (local $end i32) (local $s v128) (local $t f32)
    (local.set $end (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $s (f32x4.add (local.get $s)
          (f32x4.mul (v128.load (i32.add (local.get $d) (local.get $i))) (v128.load (i32.add (local.get $w) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 16)))
        (br $next)))
    (local.set $end (i32.shl (local.get $n) (i32.const 2)))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $end)))
        (local.set $t (f32.add (local.get $t)
          (f32.mul (f32.load (i32.add (local.get $d) (local.get $i))) (f32.load (i32.add (local.get $w) (local.get $i))))))
        (local.set $i (i32.add (local.get $i) (i32.const 4)))
        (br $next)))
    (f32.add (local.get $t) (call $hsum (local.get $s))))

  (func $hsum (param $v v128) (result f32)
    (f32.add
      (f32.add (f32x4.extract_lane 0 (local.get $v)) (f32x4.extract_lane 1 (local.get $v)))
      (f32.add (f32x4.extract_lane 2 (local.get $v)) (f32x4.extract_lane 3 (local.get $v))))))
