-- An account opened online has no name of its own: the pages call it 电子账户 in the language in
-- use, beside its class badge. Rows whose name is the class's Chinese name are cleared, so it
-- neither shows twice nor stays Chinese in English.
UPDATE accounts SET label = '' WHERE label = 'Ⅱ类户' AND class = 2;
