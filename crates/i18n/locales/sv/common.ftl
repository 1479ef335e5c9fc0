# Texts shared by every page a participant sees. Plain, easy-to-read Swedish (lättläst).
language-name = Svenska
choose-language = Välj språk
