# Writes the file IN as a C++ raw string literal to OUT (for #include).
file(READ "${IN}" content)
file(WRITE "${OUT}.tmp" "R\"attn_embedded(${content})attn_embedded\"\n")
file(COPY_FILE "${OUT}.tmp" "${OUT}" ONLY_IF_DIFFERENT)
