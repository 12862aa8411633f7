"""What is read across cases and of one case: the case list (filtered, keyset-paged, counted), the work queue,
the case file the case page shows, and the CSV export."""
