"""CountyHealth Desk (县域卫生健康台账): the application package."""

__version__ = "0.1.0"
PRODUCT_NAME = "县域卫生健康台账"
PRODUCT_NAME_EN = "CountyHealth Desk"
