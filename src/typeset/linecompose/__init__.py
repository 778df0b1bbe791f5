"""Line composition: HarfBuzz widths, total-fit line breaking and the HTML of pre-broken lines."""
