# Sourced by the scripts that need an X display (the window's Xvfb tests and benchmarks).
# start_xvfb FIRST LAST WIDTHxHEIGHT [LOG]: starts Xvfb on the first free display number in
# FIRST..LAST (Xvfb refuses one that is taken; -nolisten tcp: no port needed) and exports DISPLAY.
# Sets XVFB to its pid (the caller kills it); returns 1, with XVFB empty, when none would start.
start_xvfb() {
    local n
    XVFB=
    for n in $(seq "$1" "$2"); do
        [ -e "/tmp/.X$n-lock" ] && continue
        Xvfb ":$n" -screen 0 "${3}x24" -nolisten tcp > "${4:-/dev/null}" 2>&1 &
        XVFB=$!
        sleep 0.5
        if kill -0 "$XVFB" 2> /dev/null; then
            export DISPLAY=":$n"
            return 0
        fi
        XVFB=
    done
    return 1
}
