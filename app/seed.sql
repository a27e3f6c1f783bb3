-- app/seed.sql — apartments to book (the article's 1234567 among them).
INSERT INTO booking_app.apartments ("Id", name, city, address, bedrooms, price_per_night, currency) VALUES
    ('1234567', 'The article''s apartment', 'Douala', 'Rue de la Joie 12', 2, 85.00, 'XAF'),
    ('lisbon-alfama-2', 'Alfama terrace flat', 'Lisbon', 'Rua dos Remédios 41', 2, 120.00, 'EUR'),
    ('porto-ribeira-1', 'Ribeira studio', 'Porto', 'Cais da Ribeira 8', 1, 75.00, 'EUR'),
    ('berlin-mitte-3', 'Mitte loft', 'Berlin', 'Torstraße 101', 3, 160.00, 'EUR')
ON CONFLICT ("Id") DO NOTHING;
INSERT INTO booking_app.apartment_workshop_db ("Id", status) VALUES ('1234567', 'vacant')
ON CONFLICT ("Id") DO NOTHING;
