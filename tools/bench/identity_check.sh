#!/bin/bash
# Identity check for simulator-speed work: seven single-chip runs covering every
# single-chip preset family, a mesh, an MoE model and the detailed HBM mode;
# dumps metrics/ops/timeline/runs so two builds can be compared with cmp.
# usage: tools/bench/identity_check.sh BIN OUTDIR
BIN=$1; OUT=$2; mkdir -p $OUT; rm -f $OUT/r.db*
run() { $BIN run "$@" --db $OUT/r.db > /dev/null || echo "FAIL $*"; }
run --system h100 --model llama3-8b --phase decode --batch 8 --context 4096
run --system a100 --model llama3-8b --phase prefill --batch 1 --seq 512 --layers 2
run --system mesh-dsa --model llama3-8b --phase decode --batch 8 --context 1024 --layers 2
run --system tpu-v5e --model llama3-8b --phase decode --batch 4 --context 512 --layers 2
run --system mi210 --model mixtral-8x7b --phase decode --batch 4 --context 256 --layers 1
run --system generic-dsa --model llama3-8b --phase prefill --batch 1 --seq 256 --layers 1
run --system h100 --model llama3-8b --phase decode --batch 2 --context 256 --layers 1 --set chip.hbm.mode=HBM_MODE_DETAILED
sqlite3 $OUT/r.db "select run_id,name,printf('%.17g',value) from metrics order by run_id,rowid" > $OUT/metrics.txt
sqlite3 $OUT/r.db "select run_id,op_index,name,kind,layer,chip,core,start_ps,end_ps,flops,bytes,engine,bound,lowering from ops order by run_id,rowid" > $OUT/ops.txt
sqlite3 $OUT/r.db "select run_id,component,start_ps,end_ps,printf('%.17g',busy_fraction),bytes from timeline order by run_id,rowid" > $OUT/timeline.txt
sqlite3 $OUT/r.db "select id,event_count,config_hash from runs" > $OUT/runs.txt
wc -l $OUT/*.txt
