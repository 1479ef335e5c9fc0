language-name = العربية
choose-language = اختر اللغة
