language-name = Soomaali
choose-language = Dooro luqadda
