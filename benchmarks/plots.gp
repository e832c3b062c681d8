# Plots of one side-by-side run, from the CSV files CompareReport wrote (benchmarks/compare.sh calls this):
#   gnuplot -e "dir='benchmarks/target/compare/RUN'" benchmarks/plots.gp
# throughput.png: ops/s per concurrency, put and get, both systems
# latency.png:    p50 and p99 per concurrency, put and get, both systems
# failover.png:   longest gap between successful writes per round, both systems (+ the 1.5 s target)
if (!exists("dir")) dir = "."
set datafile separator ","
set terminal pngcairo size 1200,480 font "sans,10"
set key top left
set grid ytics
set logscale x 2
set xrange [0.7:100]
set xtics ("1" 1, "16" 16, "64" 64)
set xlabel "concurrent clients (C)"

csv = dir."/compare.csv"
is(op, col) = (strcol(1) eq op) ? column(col) : 1/0
ours = "#1f77b4"
etcd = "#d62728"

set output dir."/throughput.png"
set multiplot layout 1,2 title "Throughput, same run (256-byte values, closed loop, 3 members on loopback, fsync on)"
set ylabel "ops/s"
set yrange [0:*]
set title "put"
plot csv skip 1 using 2:(is("put", 3)) with linespoints lw 2 pt 7 lc rgb ours title "ours", \
     csv skip 1 using 2:(is("put", 4)) with linespoints lw 2 pt 5 lc rgb etcd title "etcd 3.4"
set title "linearizable get"
plot csv skip 1 using 2:(is("get", 3)) with linespoints lw 2 pt 7 lc rgb ours title "ours", \
     csv skip 1 using 2:(is("get", 4)) with linespoints lw 2 pt 5 lc rgb etcd title "etcd 3.4"
unset multiplot

set output dir."/latency.png"
set multiplot layout 1,2 title "Latency, same run (p50 solid, p99 dashed; log scale)"
set key bottom right
set ylabel "ms"
set logscale y
set yrange [*:*]
set title "put"
plot csv skip 1 using 2:(is("put", 6)) with linespoints lw 2 pt 7 lc rgb ours title "ours p50", \
     csv skip 1 using 2:(is("put", 9)) with linespoints lw 2 dt 2 pt 6 lc rgb ours title "ours p99", \
     csv skip 1 using 2:(is("put", 7)) with linespoints lw 2 pt 5 lc rgb etcd title "etcd p50", \
     csv skip 1 using 2:(is("put", 10)) with linespoints lw 2 dt 2 pt 4 lc rgb etcd title "etcd p99"
set title "linearizable get"
plot csv skip 1 using 2:(is("get", 6)) with linespoints lw 2 pt 7 lc rgb ours title "ours p50", \
     csv skip 1 using 2:(is("get", 9)) with linespoints lw 2 dt 2 pt 6 lc rgb ours title "ours p99", \
     csv skip 1 using 2:(is("get", 7)) with linespoints lw 2 pt 5 lc rgb etcd title "etcd p50", \
     csv skip 1 using 2:(is("get", 10)) with linespoints lw 2 dt 2 pt 4 lc rgb etcd title "etcd p99"
unset multiplot

set output dir."/failover.png"
set terminal pngcairo size 800,480 font "sans,10"
unset logscale
set xrange [*:*]
set xtics autofreq
set yrange [0:*]
set title "Failover: kill -9 of the leader under 4 writers, longest gap between successful writes"
set xlabel "round"
set ylabel "ms"
set style data histograms
set style histogram clustered gap 1
set style fill solid 0.8 border -1
set boxwidth 0.9
plot dir."/failover.csv" skip 1 using 2:xtic(1) lc rgb ours title "ours", \
     "" skip 1 using 3 lc rgb etcd title "etcd 3.4", \
     1500 with lines lw 2 dt 2 lc rgb "black" title "target: worst <= 1500 ms"
