import OpsProtocol

/// The bash completion of `opsctl`, written from the catalog at build time:
/// nouns, then the noun's verbs, then the command's options, and the values
/// of options that take a choice; file arguments complete as file names.
/// Plain `complete -F`, so it works without the bash-completion package too.
enum BashCompletion {
    static func script(_ catalog: CommandCatalog) -> String {
        let global = "--json --socket --help"
        var verbCases = ""
        var optionCases = ""
        var valueCases = ""
        var fileCases = ""
        for noun in catalog.nouns {
            let specs = catalog.commands(noun: noun)
            let verbs = specs.compactMap { $0.words.count > 1 ? $0.words[1] : nil }
            if !verbs.isEmpty { verbCases += "        \(noun)) words=\"\(verbs.joined(separator: " ")) --help\" ;;\n" }
            for spec in specs {
                let options = spec.arguments.filter { !$0.isPositional }.map { "--\($0.name)" }
                optionCases += "        \"\(spec.words.joined(separator: " "))\") words=\""
                    + (options + [global]).joined(separator: " ") + "\" ;;\n"
                let words = spec.words.joined(separator: " ")
                for argument in spec.arguments {
                    if argument.isPositional {
                        if argument.kind == .file { fileCases += "        \"\(words)\") files=1 ;;\n" }
                        continue
                    }
                    switch argument.kind {
                    case .choice(let values):
                        valueCases += "        \"\(words) --\(argument.name)\") "
                            + "COMPREPLY=($(compgen -W \"\(values.joined(separator: " "))\" -- \"$cur\")); return ;;\n"
                    case .file, .outputFile:
                        valueCases += "        \"\(words) --\(argument.name)\") "
                            + "COMPREPLY=($(compgen -f -- \"$cur\")); return ;;\n"
                    default: break
                    }
                }
            }
        }
        return """
            # bash completion for opsctl. Generated at build time by opsctl-catalog from the
            # command catalog; do not edit.
            _opsctl() {
                local cur="${COMP_WORDS[COMP_CWORD]}" prev="${COMP_WORDS[COMP_CWORD-1]}" words command
                COMPREPLY=()
                if [ "$prev" = "--socket" ]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi
                if [ "$COMP_CWORD" -eq 1 ]; then
                    COMPREPLY=($(compgen -W "\(catalog.nouns.joined(separator: " ")) --help --version" -- "$cur"))
                    return
                fi
                local noun="${COMP_WORDS[1]}"
                if [ "$COMP_CWORD" -eq 2 ]; then
                    case "$noun" in
            \(verbCases)        *) words="" ;;
                    esac
                    if [ -n "$words" ]; then COMPREPLY=($(compgen -W "$words" -- "$cur")); return; fi
                fi
                command="$noun"
                case "$noun" in
            \(catalog.nouns.filter { noun in catalog.commands(noun: noun).contains { $0.words.count > 1 } }
                .map { "        \($0)) command=\"$noun ${COMP_WORDS[2]}\" ;;\n" }.joined())        esac
                case "$command $prev" in
            \(valueCases)    esac
                case "$command" in
            \(optionCases)        *) words="" ;;
                esac
                local files=0
                case "$command" in
            \(fileCases)    esac
                if [[ "$cur" != -* ]] && [ "$files" = 1 ]; then COMPREPLY=($(compgen -f -- "$cur")); return; fi
                COMPREPLY=($(compgen -W "$words" -- "$cur"))
            }
            complete -F _opsctl opsctl

            """
    }
}
