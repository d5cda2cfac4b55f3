# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_luna_global_optspecs
    string join \n socket= json no-autostart O/output-dir= q/quiet verbose h/help V/version
end

function __fish_luna_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_luna_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_luna_using_subcommand
    set -l cmd (__fish_luna_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c luna -n "__fish_luna_needs_command" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_needs_command" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_needs_command" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_needs_command" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_needs_command" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_needs_command" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c luna -n "__fish_luna_needs_command" -s V -l version -d 'Print version'
complete -c luna -n "__fish_luna_needs_command" -f -a "variants" -d 'List the moon variants with their names, speed, glow and colours'
complete -c luna -n "__fish_luna_needs_command" -f -a "info" -d 'List the moon variants with their names, speed, glow and colours'
complete -c luna -n "__fish_luna_needs_command" -f -a "styles" -d 'List the drawing styles (generators)'
complete -c luna -n "__fish_luna_needs_command" -f -a "generators" -d 'List the drawing styles (generators)'
complete -c luna -n "__fish_luna_needs_command" -f -a "generate" -d 'Generate one logo into a file (or stdout)'
complete -c luna -n "__fish_luna_needs_command" -f -a "generate-all" -d 'Generate every (or a filtered set of) style × variant × size combination'
complete -c luna -n "__fish_luna_needs_command" -f -a "favicon" -d 'Write a variant\'s favicon package (favicon.ico, icon.svg, apple-touch-icon.png, PWA and maskable icons, site.webmanifest) and print its <link> tags'
complete -c luna -n "__fish_luna_needs_command" -f -a "favicon-all" -d 'Write the favicon package of every variant, each in DIR/<variant>/'
complete -c luna -n "__fish_luna_needs_command" -f -a "stats" -d 'Show the daemon\'s generation statistics'
complete -c luna -n "__fish_luna_needs_command" -f -a "files" -d 'List the files in the daemon\'s artefact store, newest first'
complete -c luna -n "__fish_luna_needs_command" -f -a "clean" -d 'Remove files from the daemon\'s artefact store'
complete -c luna -n "__fish_luna_needs_command" -f -a "events" -d 'Print the daemon\'s events as they happen, until Ctrl-C'
complete -c luna -n "__fish_luna_needs_command" -f -a "daemon" -d 'Start, stop or inspect lunad'
complete -c luna -n "__fish_luna_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c luna -n "__fish_luna_needs_command" -f -a "tui" -d 'Browse, preview and export logos in a terminal UI'
complete -c luna -n "__fish_luna_needs_command" -f -a "version" -d 'Print luna\'s version, and lunad\'s when it is running'
complete -c luna -n "__fish_luna_needs_command" -f -a "raw" -d 'Send one JSON request to lunad and print the reply line'
complete -c luna -n "__fish_luna_needs_command" -f -a "validate-all" -d 'Generate every style × variant at 64 px and check each result'
complete -c luna -n "__fish_luna_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c luna -n "__fish_luna_using_subcommand variants" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand variants" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand variants" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand variants" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand variants" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand variants" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand variants" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand info" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand info" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand info" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand info" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand info" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand info" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand info" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand styles" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand styles" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand styles" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand styles" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand styles" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand styles" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand styles" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand generators" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand generators" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand generators" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand generators" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand generators" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand generators" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand generators" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand generate" -s v -l variant -d 'The variant, as an option' -r
complete -c luna -n "__fish_luna_using_subcommand generate" -s g -l style -l generator -d 'The style (see `luna styles`)' -r
complete -c luna -n "__fish_luna_using_subcommand generate" -s s -l size -d 'Width and height in pixels (16 to 2048)' -r
complete -c luna -n "__fish_luna_using_subcommand generate" -s o -l output -d 'Output file; `-` for stdout [default: <output-dir>/arkalia-luna-…]' -r -F
complete -c luna -n "__fish_luna_using_subcommand generate" -l format -d 'Output format [default: from -o\'s extension, else svg]' -r -f -a "svg\t''
png\t''
ico\t''
webp\t''"
complete -c luna -n "__fish_luna_using_subcommand generate" -l seed -d 'Seed of the seeded styles (default: the daemon\'s)' -r
complete -c luna -n "__fish_luna_using_subcommand generate" -l palette -d 'Four colours replacing the variant\'s: "#primary,#secondary,#accent,#glow"' -r
complete -c luna -n "__fish_luna_using_subcommand generate" -l title -d 'The SVG\'s <title>' -r
complete -c luna -n "__fish_luna_using_subcommand generate" -l id-prefix -d 'Prefix of the SVG\'s element ids (to inline several logos in one page)' -r
complete -c luna -n "__fish_luna_using_subcommand generate" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand generate" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand generate" -l static -d 'A still picture (no animation)'
complete -c luna -n "__fish_luna_using_subcommand generate" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand generate" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand generate" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand generate" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand generate" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand generate-all" -s v -l variant -d 'Only these variants (repeatable) [default: all]' -r
complete -c luna -n "__fish_luna_using_subcommand generate-all" -s g -l style -l generator -d 'Only these styles (repeatable) [default: all]' -r
complete -c luna -n "__fish_luna_using_subcommand generate-all" -s s -l size -d 'Sizes in pixels (repeatable)' -r
complete -c luna -n "__fish_luna_using_subcommand generate-all" -l format -d 'Output format' -r -f -a "svg\t''
png\t''
ico\t''
webp\t''"
complete -c luna -n "__fish_luna_using_subcommand generate-all" -l seed -d 'Seed of the seeded styles (default: the daemon\'s)' -r
complete -c luna -n "__fish_luna_using_subcommand generate-all" -s p -l parallel -d 'Requests in flight at once' -r
complete -c luna -n "__fish_luna_using_subcommand generate-all" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand generate-all" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand generate-all" -l static -d 'A still picture (no animation)'
complete -c luna -n "__fish_luna_using_subcommand generate-all" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand generate-all" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand generate-all" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand generate-all" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand generate-all" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand favicon" -s v -l variant -d 'The variant, as an option' -r
complete -c luna -n "__fish_luna_using_subcommand favicon" -s g -l style -l generator -d 'The style (see `luna styles`)' -r
complete -c luna -n "__fish_luna_using_subcommand favicon" -s o -l out -l output -d 'Directory to write the package into [default: the global --output-dir]' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand favicon" -l seed -d 'Seed of the seeded styles' -r
complete -c luna -n "__fish_luna_using_subcommand favicon" -l background -d 'Under every icon: a colour (#rrggbb or #rgb), or `none` for transparent icons where platforms allow them (the Apple touch and maskable icons must be opaque and keep the default) [default: a deep shade of the variant\'s primary colour]' -r
complete -c luna -n "__fish_luna_using_subcommand favicon" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand favicon" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand favicon" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand favicon" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand favicon" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand favicon" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand favicon" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -s g -l style -l generator -d 'The style (see `luna styles`)' -r
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -s o -l out -l output -d 'Directory to write the package into [default: the global --output-dir]' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -l seed -d 'Seed of the seeded styles' -r
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -l background -d 'Under every icon: a colour (#rrggbb or #rgb), or `none` for transparent icons where platforms allow them (the Apple touch and maskable icons must be opaque and keep the default) [default: a deep shade of the variant\'s primary colour]' -r
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -s p -l parallel -d 'Requests in flight at once' -r
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand favicon-all" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand stats" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand stats" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand stats" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand stats" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand stats" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand stats" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand stats" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand files" -l limit -d 'At most this many files' -r
complete -c luna -n "__fish_luna_using_subcommand files" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand files" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand files" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand files" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand files" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand files" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand files" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand clean" -l older-than -d 'Only files older than this, e.g. 24h, 7days, 30m' -r
complete -c luna -n "__fish_luna_using_subcommand clean" -l max-total-bytes -d 'Remove the oldest files until the store holds at most this many bytes' -r
complete -c luna -n "__fish_luna_using_subcommand clean" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand clean" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand clean" -l confirm -d 'Really delete files (required unless --dry-run)'
complete -c luna -n "__fish_luna_using_subcommand clean" -l dry-run -d 'Show what would be removed without removing it'
complete -c luna -n "__fish_luna_using_subcommand clean" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand clean" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand clean" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand clean" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand clean" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand events" -l topic -d 'Only these topics (repeatable) [default: all]' -r -f -a "generated\t''
cleaned\t''
stats\t''
shutdown\t''"
complete -c luna -n "__fish_luna_using_subcommand events" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand events" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand events" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand events" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand events" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand events" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand events" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -f -a "start" -d 'Start lunad in the background unless it is running'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -f -a "stop" -d 'Ask lunad to shut down and wait until it has'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -f -a "status" -d 'Whether lunad is running (exit 0) or not (exit 69), with its version and uptime'
complete -c luna -n "__fish_luna_using_subcommand daemon; and not __fish_seen_subcommand_from start stop status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from start" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from start" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from start" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from start" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from start" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from start" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from start" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from stop" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from stop" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from stop" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from stop" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from status" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from status" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from status" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from status" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from status" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "start" -d 'Start lunad in the background unless it is running'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "stop" -d 'Ask lunad to shut down and wait until it has'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "status" -d 'Whether lunad is running (exit 0) or not (exit 69), with its version and uptime'
complete -c luna -n "__fish_luna_using_subcommand daemon; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c luna -n "__fish_luna_using_subcommand completions" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand completions" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand completions" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand completions" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand completions" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand completions" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand completions" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand tui" -l graphics -d 'How to draw the preview: detected from the terminal by default' -r -f -a "auto\t''
kitty\t''
sixel\t''
iterm2\t''
truecolor\t''
256\t''
ascii\t''"
complete -c luna -n "__fish_luna_using_subcommand tui" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand tui" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand tui" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand tui" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand tui" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand tui" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand tui" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand version" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand version" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand version" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand version" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand version" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand version" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand version" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand raw" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand raw" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand raw" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand raw" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand raw" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand raw" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand raw" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand validate-all" -s p -l parallel -d 'Requests in flight at once' -r
complete -c luna -n "__fish_luna_using_subcommand validate-all" -l socket -d 'lunad\'s socket [default: /run/luna/ctl.sock for root if it exists, else $XDG_RUNTIME_DIR/luna/ctl.sock, else /tmp/luna-<uid>/ctl.sock]' -r -F
complete -c luna -n "__fish_luna_using_subcommand validate-all" -s O -l output-dir -d 'Where generated files go when no -o is given' -r -f -a "(__fish_complete_directories)"
complete -c luna -n "__fish_luna_using_subcommand validate-all" -l json -d 'Machine output: the daemon\'s result as JSON, one object per line for streams'
complete -c luna -n "__fish_luna_using_subcommand validate-all" -l no-autostart -d 'Never start lunad; fail with exit 69 when it is not running'
complete -c luna -n "__fish_luna_using_subcommand validate-all" -s q -l quiet -d 'Only errors and requested data'
complete -c luna -n "__fish_luna_using_subcommand validate-all" -l verbose -d 'Explain what luna is doing, on stderr'
complete -c luna -n "__fish_luna_using_subcommand validate-all" -s h -l help -d 'Print help'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "variants" -d 'List the moon variants with their names, speed, glow and colours'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "styles" -d 'List the drawing styles (generators)'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "generate" -d 'Generate one logo into a file (or stdout)'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "generate-all" -d 'Generate every (or a filtered set of) style × variant × size combination'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "favicon" -d 'Write a variant\'s favicon package (favicon.ico, icon.svg, apple-touch-icon.png, PWA and maskable icons, site.webmanifest) and print its <link> tags'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "favicon-all" -d 'Write the favicon package of every variant, each in DIR/<variant>/'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "stats" -d 'Show the daemon\'s generation statistics'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "files" -d 'List the files in the daemon\'s artefact store, newest first'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "clean" -d 'Remove files from the daemon\'s artefact store'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "events" -d 'Print the daemon\'s events as they happen, until Ctrl-C'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "daemon" -d 'Start, stop or inspect lunad'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "completions" -d 'Print a shell completion script'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "tui" -d 'Browse, preview and export logos in a terminal UI'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "version" -d 'Print luna\'s version, and lunad\'s when it is running'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "raw" -d 'Send one JSON request to lunad and print the reply line'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "validate-all" -d 'Generate every style × variant at 64 px and check each result'
complete -c luna -n "__fish_luna_using_subcommand help; and not __fish_seen_subcommand_from variants styles generate generate-all favicon favicon-all stats files clean events daemon completions tui version raw validate-all help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c luna -n "__fish_luna_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "start" -d 'Start lunad in the background unless it is running'
complete -c luna -n "__fish_luna_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "stop" -d 'Ask lunad to shut down and wait until it has'
complete -c luna -n "__fish_luna_using_subcommand help; and __fish_seen_subcommand_from daemon" -f -a "status" -d 'Whether lunad is running (exit 0) or not (exit 69), with its version and uptime'
