# Sums `perf report --no-children --sort dso,sym -g none --stdio` lines ("  1.23%  dso  [.] symbol")
# by area: JIT-compiled frames by the assembly of the method's declaring type, native ones by binary.
# Prints "area<TAB>percent".
function areaOf(dso, sym,    m, asm) {
  if (dso ~ /^\[JIT\]/ || dso ~ /\.dll$/) {
    asm = dso
    if (match(sym, /\[[^]]+\] [^ ]+::/)) { asm = substr(sym, RSTART + 1, RLENGTH); sub(/\].*/, "", asm) }
    else if (sym ~ /^stub /) asm = "stubs"
    if (asm ~ /^Microsoft\.AspNetCore\.Server\.Kestrel/) return "managed: Kestrel"
    if (asm ~ /^Microsoft\.AspNetCore/) return "managed: ASP.NET Core (routing, middleware, http abstractions)"
    if (asm == "System.Net.Http") return "managed: HttpClient (SocketsHttpHandler)"
    if (asm == "System.Net.Sockets") return "managed: sockets (System.Net.Sockets)"
    if (asm == "System.Private.CoreLib") return "managed: CoreLib (threads, tasks, async, collections)"
    if (asm == "System.IO.Pipelines") return "managed: System.IO.Pipelines"
    if (asm == "gpu-router") return "managed: gpu-router (our code)"
    if (asm ~ /^Microsoft\.Extensions\.Logging|^Serilog/) return "managed: logging"
    if (asm ~ /^Prometheus/) return "managed: prometheus-net"
    if (asm == "stubs") return "managed: runtime stubs"
    return "managed: other (" asm ")"
  }
  if (dso ~ /kallsyms/) return "kernel"
  if (dso ~ /^libcoreclr/) return "runtime: libcoreclr (GC, type system, thread pool native)"
  if (dso ~ /^libclrjit/) return "runtime: JIT"
  if (dso ~ /^libc\.so|^ld-linux|^\[vdso\]/) return "libc (syscall wrappers, memcpy)"
  if (dso ~ /^libSystem\.Native/) return "libSystem.Native (socket, epoll shims)"
  if (dso ~ /crypto|Cryptography/) return "crypto (SHA-256 of the key)"
  return "other: " dso
}
/^ +[0-9.]+%/ {
  pct = $1; sub(/%/, "", pct)
  dso = $2
  line = $0; i = index(line, "[.] "); if (i == 0) i = index(line, "[k] ")
  sym = i ? substr(line, i + 4) : ""
  area[areaOf(dso, sym)] += pct
}
END { for (a in area) printf "%s\t%.2f\n", a, area[a] }
