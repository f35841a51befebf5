# Warnings for hipcoach's own targets. Third-party headers are included as SYSTEM so that their
# warnings cannot fail the build; warnings-as-errors is switched on by the presets.
function(hipcoach_warnings target)
  target_compile_options(${target} PRIVATE
    -Wall -Wextra -Wpedantic -Wshadow -Wconversion -Wsign-conversion -Wnon-virtual-dtor
    -Wold-style-cast -Woverloaded-virtual -Wimplicit-fallthrough)
endfunction()
