language-name = English
choose-language = Choose language
