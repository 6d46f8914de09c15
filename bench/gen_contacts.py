#!/usr/bin/env python3
"""Writes N realistic contact rows as CSV (deterministic): bench/gen_contacts.py N FILE."""
import random
import sys

FIRST = ["Anna", "Jan", "Łukasz", "Zofia", "María", "José", "Олена", "Тарас", "Emma", "Oliver",
         "Piotr", "Katarzyna", "Lucía", "Hugo", "Iryna", "Mykola"]
LAST = ["Nowak", "Kowalski", "Wiśniewska", "García", "Fernández", "Шевченко", "Коваленко",
        "Smith", "Jones", "Zieliński", "Lewandowska", "Martín", "Бондаренко", "Brown"]
CITY = ["Kraków", "Warszawa", "Gdańsk", "Madrid", "Sevilla", "Київ", "Львів", "London", "Leeds"]
TITLE = ["CEO", "CTO", "Buyer", "Head of Sales", "Engineer", "Office manager", "", ""]


def main() -> None:
    n = int(sys.argv[1])
    rnd = random.Random(42)
    with open(sys.argv[2], "w", encoding="utf-8", newline="") as f:
        f.write("first_name,last_name,email,phones,address.city,title,external_id\r\n")
        for i in range(n):
            first, last = rnd.choice(FIRST), rnd.choice(LAST)
            phone = "+48 6%02d %03d %03d" % (rnd.randrange(100), rnd.randrange(1000), rnd.randrange(1000))
            f.write(f"{first},{last},c{i}@example.com,{phone},{rnd.choice(CITY)},"
                    f"{rnd.choice(TITLE)},X{i}\r\n")


if __name__ == "__main__":
    main()
