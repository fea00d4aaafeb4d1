// The comparison table (tables family).
import { formatPrice, type Product } from '../catalog.js';

/** Compares every product's price, rating, weight, warranty and stock. */
export function CompareTable({ products }: { products: readonly Product[] }) {
  return (
    <section id="compare" className="section" aria-labelledby="compare-title">
      <h2 id="compare-title">Compare</h2>
      <div className="tr-tables table-wrap">
        <table className="table">
          <thead>
            <tr>
              <th scope="col">Product</th>
              <th scope="col" className="num">
                Price
              </th>
              <th scope="col" className="num">
                Rating
              </th>
              <th scope="col" className="num">
                Weight
              </th>
              <th scope="col" className="num">
                Warranty
              </th>
              <th scope="col" className="num">
                In stock
              </th>
            </tr>
          </thead>
          <tbody>
            {products.map((product) => (
              <tr key={product.id}>
                <th scope="row">{product.name}</th>
                <td className="num">{formatPrice(product.price)}</td>
                <td className="num">{product.rating.toFixed(1)}</td>
                <td className="num">{product.weightKg} kg</td>
                <td className="num">{product.warrantyYears} y</td>
                <td className="num">{product.stock}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
